from django.urls import path

from results.site import views
from results.site.feeds import CorrectionsFeed, ReportsAtomFeed, ReportsFeed

app_name = "results"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("open-data/", views.open_data, name="open-data"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<slug:slug>/", views.report_detail, name="report"),
    path("feeds/reports.atom", ReportsAtomFeed(), name="feed-atom"),
    path("feeds/reports.rss", ReportsFeed(), name="feed-rss"),
    path("feeds/corrections.atom", CorrectionsFeed(), name="feed-corrections"),
    path("drivers/", views.driver_list, name="drivers"),
    path("drivers/<slug:slug>/", views.driver_detail, name="driver"),
    path("nations/", views.nation_list, name="nations"),
    path("nations/<str:code>/", views.nation_detail, name="nation"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<slug:slug>/", views.team_detail, name="team"),
    path("cars/", views.car_list, name="cars"),
    path("cars/<slug:slug>/", views.car_detail, name="car"),
    path("tracks/", views.track_list, name="tracks"),
    path("tracks/<slug:slug>/", views.track_detail, name="track"),
    path("<int:year>/", views.season, name="season"),
    path("<int:year>/calendar.ics", views.calendar_ics, name="season-calendar"),
    path("<int:year>/<slug:competition>/calendar.ics", views.calendar_ics, name="competition-calendar"),
    path("<int:year>/<slug:competition>/standings/", views.standings, name="standings"),
    path("<int:year>/<slug:competition>/title/", views.title, name="title"),
    # A round's page, or a competition's season where no round has the slug (/2024/nations-cup/).
    path("<int:year>/<slug:round_slug>/", views.round_detail, name="round"),
    path("<int:year>/<slug:round_slug>/<slug:competition>/<slug:race_slug>/", views.race_detail, name="race"),
]
