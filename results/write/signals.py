"""Every saved or deleted piece of racing data moves the data version on."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from results.cache import versions as versioning
from results.models import DataVersion, RaceReport


def _changed(sender, **kwargs):
    versioning.bump()


# Every model of the app, so a model added later is covered without a list to keep up to date.
for model in apps.get_app_config("results").get_models():
    if model is DataVersion:
        continue
    post_save.connect(_changed, sender=model, dispatch_uid=f"version-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"version-delete-{model.__name__}")
m2m_changed.connect(_changed, sender=RaceReport.races.through, dispatch_uid="version-report-races")
