from django.http import Http404
from django.urls import path

from . import leaderboards, leagues, views

app_name = "community"

urlpatterns = [
    path("reports/<slug:slug>/comments/", views.post_comment, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete"),
    path("comments/<int:pk>/flag/", views.flag_comment, name="flag"),
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.delete_account, name="delete-account"),
    # The predictions game: leaderboards and private leagues (community/leaderboards.py, leagues.py).
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


def fan_page_pending(request, pk):
    """Holds the name community:fan (a fan's public page, built by the picks' branch): drop at the merge."""
    raise Http404("Fans' pages are not built yet.")


urlpatterns.append(path("fans/<int:pk>/", fan_page_pending, name="fan"))
