"""The Editors group: everything about racing data, nothing about users."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

EDITORS_GROUP = "Editors"

# Editors add, change and delete every kind of racing data; that is all they can do.
EDITED_MODELS = [
    "season",
    "competition",
    "round",
    "race",
    "track",
    "team",
    "car",
    "driver",
    "gridslot",
    "result",
    "tyrestint",
    "pitstop",
    "penalty",
    "incident",
    "racereport",
]
ACTIONS = ["view", "add", "change", "delete"]


def editor_permission_codenames():
    return {f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS}


def ensure_editors_group(app_config=None, using="default", apps=global_apps, **kwargs):
    """Create the Editors group, or bring its permissions back to exactly the list above."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if app_config is not None:
        # post_migrate runs this before auth has created the new models' permissions.
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    permissions = Permission.objects.using(using).filter(
        Q(content_type__app_label="results", codename__in=editor_permission_codenames())
        # The admin's record of who changed what, read-only.
        | Q(content_type__app_label="admin", codename="view_logentry")
    )
    group.permissions.set(permissions)
    return group
