from django.contrib.sitemaps import Sitemap

from results.models import Competition, Driver, Race, RaceReport, Round, Season, Track


class ReportSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return RaceReport.objects.published()

    def lastmod(self, report):
        return report.updated_at


class ResultsSitemap(Sitemap):
    """Seasons, rounds, races, standings, drivers and tracks."""

    changefreq = "daily"

    def items(self):
        return [
            *Season.objects.all(),
            *Round.objects.for_links(),
            *Race.objects.for_links(),
            *Competition.objects.for_links(),
            *Driver.objects.all(),
            *Track.objects.all(),
        ]


SITEMAPS = {"reports": ReportSitemap, "results": ResultsSitemap}
