from django.urls import path

from . import picks, views

app_name = "community"

urlpatterns = [
    path("reports/<slug:slug>/comments/", views.post_comment, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete"),
    path("comments/<int:pk>/flag/", views.flag_comment, name="flag"),
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.delete_account, name="delete-account"),
    path("races/<int:race_id>/picks/", picks.pick_race, name="picks"),
    path("predictions/", picks.predictions, name="predictions"),
    path("fans/<int:pk>/", picks.fan, name="fan"),
]
