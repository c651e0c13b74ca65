from django.urls import path

from results.api import views as api

app_name = "api"

urlpatterns = [
    path("<int:year>/calendar/", api.calendar, name="calendar"),
    path("<int:year>/<slug:competition>/standings/", api.standings, name="standings"),
    path("<int:year>/<slug:competition>/standings.csv", api.standings_csv, name="standings-csv"),
    path("<int:year>/<slug:competition>/title/", api.title, name="title"),
    path(
        "<int:year>/<slug:competition>/<slug:round_slug>/<slug:race_slug>/results/",
        api.race_results,
        name="race-results",
    ),
    path(
        "<int:year>/<slug:competition>/<slug:round_slug>/<slug:race_slug>/results.csv",
        api.race_results_csv,
        name="race-results-csv",
    ),
]
