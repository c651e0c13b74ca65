"""Atom and RSS feeds of the published race reports."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from results.models import RaceReport


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
