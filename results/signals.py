"""Every saved or deleted piece of racing data moves the data version on."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import versioning
from .models import (
    Car,
    Competition,
    Driver,
    GridSlot,
    Incident,
    Penalty,
    PitStop,
    Race,
    RaceReport,
    Result,
    Round,
    Season,
    Team,
    Track,
    TyreStint,
)

VERSIONED = [
    Season,
    Competition,
    Round,
    Race,
    Track,
    Team,
    Car,
    Driver,
    GridSlot,
    Result,
    TyreStint,
    PitStop,
    Penalty,
    Incident,
    RaceReport,
]


def _changed(sender, **kwargs):
    versioning.bump()


for model in VERSIONED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"version-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"version-delete-{model.__name__}")
m2m_changed.connect(_changed, sender=RaceReport.races.through, dispatch_uid="version-report-races")
