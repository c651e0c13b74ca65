"""The history of a race's classification, points, penalties and grid (django-simple-history).

Race, Result, GridSlot and Penalty keep every version of their rows in historical tables
(``results_historicalresult`` …), written by django-simple-history on every save and delete and by
:class:`results.models.base.MarkingQuerySet` on ``bulk_create`` / ``bulk_update`` (the paste and the
season import write that way). An editor's change runs inside :func:`correcting`: each historical
row it writes carries the editor, the reason (simple-history's ``history_change_reason``), the
source and one key per change, which the race page's Corrections section groups by.

django-simple-history, not django-pghistory: it records from Django's signals, so it works the
same on SQLite (development, tests) and PostgreSQL; pghistory records with PostgreSQL triggers.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


@dataclass(frozen=True)
class Correction:
    """Who changes what, why and on which authority, for every historical row the change writes."""

    reason: str = ""
    source: str = ""
    editor: object = None  # a user, or None
    key: str = ""


_current = ContextVar("results_correction", default=None)


@contextmanager
def correcting(reason="", source="", editor=None):
    """Record the writes of the block as one change, with its editor, reason and source."""
    token = _current.set(Correction(reason.strip(), source.strip(), editor, uuid.uuid4().hex))
    try:
        yield
    finally:
        _current.reset(token)


def current_correction():
    return _current.get() or Correction()


class CorrectionRecord(models.Model):
    """What a historical row adds to simple-history's (who, when, why): the source and the change."""

    history_source = models.CharField("source", max_length=500, blank=True)
    history_correction = models.CharField("change", max_length=32, blank=True, db_index=True)

    class Meta:
        abstract = True


class HistoryQuerySet(HistoricalQuerySet):
    def oldest_first(self):
        """In the order they were written."""
        return self.order_by("history_date", "history_id")

    def of_races(self, race_ids):
        """The versions of the rows of these races, oldest first."""
        return self.filter(race_id__in=race_ids).oldest_first()

    def of_corrected_rows(self):
        """Every version of the rows that have a correction among their versions (what a correction
        changed is read against the version before it); a row saved only without a reason, however
        often, is left out."""
        return self.filter(id__in=self.corrections().values("id"))

    def corrections(self):
        """The versions written with a reason (the changes to published races), the newest first."""
        return (
            self.exclude(history_change_reason__isnull=True)
            .exclude(history_change_reason="")
            .order_by("-history_date", "-history_id")
        )

    def scored(self, competition_ids):
        """Every version of the results of these competitions, oldest first, with the columns
        standings need (see :meth:`results.models.sheet.ResultQuerySet.scored`)."""
        from results.models.sheet import SCORED_FIELDS, scored_columns

        columns = scored_columns()
        return (
            self.filter(race__competition_id__in=competition_ids)
            .annotate(**columns)
            .oldest_first()
            .values_list("id", "history_date", "history_type", *SCORED_FIELDS, *columns, named=True)
        )

    def of_competitions(self, competition_ids):
        """Every version of the penalties of these competitions' races, oldest first."""
        return self.filter(race__competition_id__in=competition_ids).oldest_first()

    def scoring(self, competition_ids):
        """Every version of these competitions' races, oldest first, with how each scored: its points
        scale, multiplier and whether its classification was complete."""
        return (
            self.filter(competition_id__in=competition_ids)
            .oldest_first()
            .values_list(
                "id",
                "history_date",
                "history_type",
                "points_scale",
                "points_multiplier",
                "is_complete",
                named=True,
            )
        )


def history():
    """The history of a racing model, as the race's rows keep it."""
    return HistoricalRecords(
        bases=[CorrectionRecord],
        historical_queryset=HistoryQuerySet,
        history_change_reason_field=models.TextField(null=True),
    )


def fill_correction(sender, history_instance, **kwargs):
    """Each historical row of the results app carries the current change's reason, source, key, editor."""
    if sender._meta.app_label != "results":
        return
    correction = current_correction()
    if correction.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = correction.reason
    history_instance.history_source = correction.source
    history_instance.history_correction = correction.key
    if correction.editor is not None and history_instance.history_user_id is None:
        history_instance.history_user = correction.editor


pre_create_historical_record.connect(fill_correction, dispatch_uid="results-fill-correction")


def record_bulk(model, objs, update=False):
    """Write the history of rows written by ``bulk_create`` / ``bulk_update`` (no signals for those)."""
    manager = getattr(model, "history", None)
    rows = [obj for obj in objs if obj.pk is not None]
    if manager is None or not rows:
        return
    correction = current_correction()
    manager.bulk_history_create(
        rows,
        update=update,
        default_user=correction.editor,
        default_change_reason=correction.reason,
        custom_historical_attrs={
            "history_source": correction.source,
            "history_correction": correction.key,
        },
    )
