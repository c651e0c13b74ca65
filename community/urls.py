from django.urls import path

from . import leaderboards, leagues, picks, views

app_name = "community"

urlpatterns = [
    path("reports/<slug:slug>/comments/", views.post_comment, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete"),
    path("comments/<int:pk>/flag/", views.flag_comment, name="flag"),
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.delete_account, name="delete-account"),
    # The predictions game: picks, fans' pages (community/picks.py), leaderboards and private leagues
    # (community/leaderboards.py, leagues.py).
    path("races/<int:race_id>/picks/", picks.pick_race, name="picks"),
    path("predictions/", picks.predictions, name="predictions"),
    path("fans/<int:pk>/", picks.fan, name="fan"),
    path("predictions/<int:year>/", leaderboards.season, name="leaderboard"),
    path("predictions/<int:year>/nations/<str:code>/", leaderboards.nation, name="leaderboard-nation"),
    path("leagues/", leagues.league_list, name="leagues"),
    path("leagues/join/<str:code>/", leagues.league_join, name="league-join"),
    path("leagues/<int:pk>/", leagues.league_detail, name="league"),
    path("leagues/<int:pk>/rename/", leagues.league_rename, name="league-rename"),
    path("leagues/<int:pk>/invite/", leagues.league_new_invite, name="league-new-invite"),
    path("leagues/<int:pk>/remove/", leagues.league_remove, name="league-remove"),
    path("leagues/<int:pk>/delete/", leagues.league_delete, name="league-delete"),
    path("leagues/<int:pk>/leave/", leagues.league_leave, name="league-leave"),
]
