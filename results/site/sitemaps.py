from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from results.models import Car, Competition, Driver, Race, RaceReport, Round, Season, Track


class ReportSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return RaceReport.objects.published()

    def lastmod(self, report):
        return report.updated_at


class ResultsSitemap(Sitemap):
    """Seasons, rounds, races, standings, drivers, tracks and cars."""

    changefreq = "daily"

    def items(self):
        return [
            *Season.objects.all(),
            *Round.objects.for_links(),
            *Race.objects.for_links(),
            *Competition.objects.for_links(),
            *Driver.objects.all(),
            *Track.objects.all(),
            *Car.objects.all(),
        ]


class IndexSitemap(Sitemap):
    """The first page of each index, and each competition's season page."""

    changefreq = "daily"

    def items(self):
        indexes = ["results:drivers", "results:nations", "results:teams", "results:tracks", "results:cars"]
        indexes.append("results:reports")
        return [reverse(name) for name in indexes] + [
            competition.get_season_url() for competition in Competition.objects.for_links()
        ]

    def location(self, url):
        return url


SITEMAPS = {"reports": ReportSitemap, "results": ResultsSitemap, "indexes": IndexSitemap}
