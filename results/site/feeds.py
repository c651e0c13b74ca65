"""Atom and RSS feeds of the published race reports."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from results.models import RaceReport
from results.read.history import recent_corrections


class ReportsFeed(Feed):
    title = "GTWS fan site: race reports"
    link = reverse_lazy("results:home")
    description = "Race reports from the Gran Turismo World Series."

    def items(self):
        return RaceReport.objects.published().with_round()[:20]

    def item_title(self, report):
        return report.title

    def item_description(self, report):
        return report.standfirst or report.body[:300]

    def item_pubdate(self, report):
        return report.published_at

    def item_updateddate(self, report):
        return report.updated_at

    def item_author_name(self, report):
        return report.author or None


class ReportsAtomFeed(ReportsFeed):
    feed_type = Atom1Feed
    subtitle = ReportsFeed.description


class CorrectionsFeed(Feed):
    """Every correction to a published race: what changed, why, on which source."""

    feed_type = Atom1Feed
    title = "GTWS fan site: corrections"
    link = reverse_lazy("results:home")
    subtitle = "Changes to published race results, penalties and grids, with their reasons."

    def items(self):
        return recent_corrections()

    def item_title(self, correction):
        return f"Correction: {correction.race}"

    def item_description(self, correction):
        source = f" (source: {correction.source})" if correction.source else ""
        return f"{correction.reason}{source}. " + "; ".join(correction.changes) + "."

    def item_link(self, correction):
        return correction.race.get_absolute_url() + "#corrections"

    def item_guid(self, correction):
        return f"correction-{correction.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, correction):
        return correction.at
