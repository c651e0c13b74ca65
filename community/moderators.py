"""The Moderators group: comments and flags, and suspending fans from commenting."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

MODERATORS_GROUP = "Moderators"
PERMISSIONS = [
    ("community", "view_comment"),
    ("community", "change_comment"),
    ("community", "view_flag"),
    ("community", "change_flag"),
    ("community", "view_profile"),
    ("community", "change_profile"),
]


def ensure_moderators_group(app_config=None, using="default", apps=global_apps, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if app_config is not None:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group, _ = Group.objects.using(using).get_or_create(name=MODERATORS_GROUP)
    query = Q(pk__in=[])
    for app_label, codename in PERMISSIONS:
        query |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.using(using).filter(query))
    return group
