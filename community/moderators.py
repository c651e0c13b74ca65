"""The Moderators group: comments and flags, suspending fans from commenting, and reading picks."""

from django.apps import apps as global_apps
from django.db.models import Q

from results.editors import ensure_group

MODERATORS_GROUP = "Moderators"
PERMISSIONS = [
    "view_comment",
    "change_comment",
    "view_flag",
    "change_flag",
    "view_profile",
    "change_profile",
    "view_pick",
    # Leagues' names are fans' text: moderators rename or delete an abusive league, and take members out.
    "view_league",
    "change_league",
    "delete_league",
    "view_leaguemembership",
    "delete_leaguemembership",
]


def ensure_moderators_group(app_config=None, using="default", apps=global_apps, **kwargs):
    permissions = Q(content_type__app_label="community", codename__in=PERMISSIONS)
    return ensure_group(MODERATORS_GROUP, permissions, app_config, using, apps)
