from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/<slug:competition>/standings/", views.standings, name="standings"),
    path("<int:year>/<slug:round_slug>/<slug:competition>/<slug:race_slug>/", views.race_detail, name="race"),
]
