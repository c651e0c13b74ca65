from django.http import Http404
from django.urls import path

from . import leaderboards, views

app_name = "community"

urlpatterns = [
    path("reports/<slug:slug>/comments/", views.post_comment, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete"),
    path("comments/<int:pk>/flag/", views.flag_comment, name="flag"),
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.delete_account, name="delete-account"),
    path("predictions/<int:year>/", leaderboards.season, name="leaderboard"),
    path("predictions/<int:year>/nations/<str:code>/", leaderboards.nation, name="leaderboard-nation"),
]


def fan_page_pending(request, pk):
    """Holds the name community:fan (a fan's public page, built by the picks' branch): drop at the merge."""
    raise Http404("Fans' pages are not built yet.")


urlpatterns.append(path("fans/<int:pk>/", fan_page_pending, name="fan"))
