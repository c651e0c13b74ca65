"""Every single save or delete of racing data (an admin save, an inline row, a ``save()`` in a script)
marks what it changed; writes of many rows mark through :class:`results.models.base.MarkingQuerySet`.

A row is marked where it shows now and where it showed before the save (a result moved to another
race, a report given a new slug): the stored row is read before the save (one query), and the
new place only when the row changed parents. The receivers serve any model whose manager is a
MarkingQuerySet (community connects them for comments).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from results.cache.invalidation import comments_changed, racing_changed, reports_changed
from results.models import Race, RaceReport
from results.models.base import Changes, MarkingQuerySet, marks_itself, rows_changed


def mark_changes(sender, changes, **kwargs):
    """Rows were written (:class:`results.models.base.Changes`): mark what they show for the page cache."""
    seasons, races = changes.known("seasons"), changes.known("races")
    reports, comments = changes.known("reports"), changes.known("comments")
    if changes.shared or seasons or races or not (reports or comments):
        # With nothing known, columns no cached page shows (a driver's aliases): marked, nothing moves.
        racing_changed(seasons=seasons, races=races, shared=changes.shared, frames=changes.known("frames"))
    if reports:
        reports_changed(reports)
    if comments:
        comments_changed(comments)


def remember_stored(sender, instance, **kwargs):
    """Before an existing row is saved, read where it showed."""
    if instance.pk is not None:
        instance.stored_before_save = sender.objects.filter(pk=instance.pk).stored()


def mark_saved(sender, instance, update_fields=None, **kwargs):
    stored = vars(instance).pop("stored_before_save", None)
    if sender.objects.shown_rows().shows(update_fields):
        sender.objects.changes_of([instance], stored).mark()
    else:
        Changes().mark()


def mark_deleted(sender, instance, origin=None, **kwargs):
    # A row deleted along with its race, round, season or report, or by a QuerySet's delete(), is
    # marked by that deletion; here only its own columns count (a report's slug: after the commit
    # the report can no longer be found from its season).
    alone = origin is instance or not marks_itself(origin)
    sender.objects.changes_of([instance], through_parents=alone).deleted().mark()


def mark_report_races(sender, instance, action, reverse, pk_set, **kwargs):
    """The races linked to a report changed: the report, its season and those races."""
    if not action.startswith("post_"):
        return
    if reverse:  # race.reports: the instance is a race, pk_set holds reports
        reports = RaceReport.objects.filter(pk__in=pk_set or ()).stored()
        changes = Race.objects.changes_of([instance]) | RaceReport.objects.changes_of([], reports)
    else:
        changes = RaceReport.objects.changes_of([instance])
        changes.races.update(pk_set or ())
    changes.mark()


def connect(model):
    """Mark every save and delete of ``model``'s rows (its manager is a MarkingQuerySet)."""
    label = model._meta.label
    pre_save.connect(remember_stored, sender=model, dispatch_uid=f"marks-before-save-{label}")
    post_save.connect(mark_saved, sender=model, dispatch_uid=f"marks-save-{label}")
    post_delete.connect(mark_deleted, sender=model, dispatch_uid=f"marks-delete-{label}")


# Every racing model of the app (its manager a MarkingQuerySet), so a model added later is covered
# without a list to keep up to date; tests/conftest.py fails a racing write that was not marked.
for model in apps.get_app_config("results").get_models():
    if isinstance(model.objects.none(), MarkingQuerySet):
        connect(model)
rows_changed.connect(mark_changes, sender=Changes, dispatch_uid="marks-changes")
m2m_changed.connect(mark_report_races, sender=RaceReport.races.through, dispatch_uid="marks-report-races")
