"""The Editors group: everything about racing data, nothing about users."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import router
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
    "crewmember",
    "tyrestint",
    "pitstop",
    "penalty",
    "incident",
    "racereport",
    "source",
    "conflictingvalue",
]
ACTIONS = ["view", "add", "change", "delete"]


def editor_permission_codenames():
    return {f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS}


def ensure_group(name, permissions, app_config=None, using="default", apps=global_apps):
    """Create the group ``name`` or bring its permissions back to exactly ``permissions`` (a Q).

    Called from post_migrate, which runs before auth has created a new model's permissions,
    so those are created first.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if not router.allow_migrate_model(using, Group):
        return None  # a database without accounts (the cache tables' own, gtws_site/routers.py)
    if app_config is not None:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group, _ = Group.objects.using(using).get_or_create(name=name)
    group.permissions.set(Permission.objects.using(using).filter(permissions))
    return group


def ensure_editors_group(app_config=None, using="default", apps=global_apps, **kwargs):
    """The Editors group with exactly the permissions listed above."""
    permissions = (
        Q(content_type__app_label="results", codename__in=editor_permission_codenames())
        # The admin's record of who changed what, read-only.
        | Q(content_type__app_label="admin", codename="view_logentry")
    )
    return ensure_group(EDITORS_GROUP, permissions, app_config, using, apps)
