"""What a change to racing rows touches, and the QuerySet through which every racing model marks it.

A row shows on the pages of its season and, when it belongs to a race, on that race's pages;
drivers, tracks, teams, cars and the list of seasons show on every racing page ("shared").
:data:`SHOWN` names, per model, the lookups from a row to its season's year, its races and its
report. The writes of :class:`MarkingQuerySet` (``update()``, ``delete()``, ``bulk_create()``,
``bulk_update()``) read them (one query) and, once written, send :data:`rows_changed` with what
changed; single saves and deletes are read with the same lookups by the receivers in
:mod:`results.write.signals`, which also receive :data:`rows_changed` and mark the changes for the
page cache (:mod:`results.cache.invalidation`). The models import nothing of the cache.
"""

from dataclasses import dataclass, field

from django.db import models
from django.dispatch import Signal

from results.models.history import record_bulk


@dataclass(frozen=True)
class Shown:
    """Where a model's rows show: the lookups from a row to what a change of it marks."""

    season: str = ""  # to its season's year
    races: tuple[str, ...] = ()  # to the ids of the races whose pages show it
    report: str = ""  # to the slug of the report it belongs to
    comments: str = ""  # to the slug of the report whose comment section shows it
    shared: bool = False  # shown by every season
    # A row of one race's sheet (a result, a stint, a penalty...): it changes what that race's table
    # shows and its season's sums, never the season's frame (its competitions, rounds and races as
    # named and scored), so the other races' tables stay as drawn.
    sheet: bool = False
    # Columns no cached page shows (a driver's aliases: only the search, which is never cached): a
    # write of these alone is marked, and moves no page's version.
    unshown: frozenset = frozenset()

    def shows(self, columns):
        """Whether writing these columns changes a cached page (all of them unless named)."""
        return not columns or not set(columns) <= self.unshown

    @property
    def lookups(self):
        return [lookup for lookup in (self.season, *self.races, self.report, self.comments) if lookup]


RACE_ROW = Shown(season="race__round__season__year", races=("race_id",), sheet=True)
EVERY_SEASON = Shown(shared=True)  # drivers, tracks, teams, cars, and a model not listed below
SHOWN = {
    "results.Season": Shown(season="year", shared=True),
    "results.Competition": Shown(season="season__year"),
    "results.Round": Shown(season="season__year"),
    "results.Race": Shown(season="round__season__year", races=("pk", "grid_from_id")),
    "results.RaceReport": Shown(season="round__season__year", report="slug"),
    **dict.fromkeys(
        [
            f"results.{name}"
            for name in ("GridSlot", "Result", "CrewMember", "TyreStint", "PitStop", "Penalty", "Incident")
        ],
        RACE_ROW,
    ),
    "results.Driver": Shown(shared=True, unshown=frozenset({"aliases"})),
    "results.Source": RACE_ROW,
    "results.ConflictingValue": RACE_ROW,
}


def shown_by(model):
    return SHOWN.get(model._meta.label, EVERY_SEASON)


@dataclass
class Changes:
    """What a write changed: seasons (years), races (ids), reports and comment sections (slugs);
    ``frames``, the seasons changed by a row that is not a race's sheet (see :class:`Shown`)."""

    seasons: set = field(default_factory=set)
    races: set = field(default_factory=set)
    reports: set = field(default_factory=set)
    comments: set = field(default_factory=set)
    shared: bool = False
    frames: set = field(default_factory=set)

    @classmethod
    def of(cls, rows, shown):
        """The changes of rows ({lookup: value}) of a model shown as ``shown``."""
        changes = cls(shared=shown.shared)
        for row in rows:
            changes.seasons.add(row.get(shown.season))
            changes.races.update(row.get(lookup) for lookup in shown.races)
            changes.reports.add(row.get(shown.report))
            changes.comments.add(row.get(shown.comments))
            if not shown.sheet:
                changes.frames.add(row.get(shown.season))
        return changes

    def __or__(self, other):
        return Changes(
            self.seasons | other.seasons,
            self.races | other.races,
            self.reports | other.reports,
            self.comments | other.comments,
            self.shared or other.shared,
            self.frames | other.frames,
        )

    def deleted(self):
        """The changes of deleting these rows: a deleted report takes its comment section along."""
        return self | Changes(comments=set(self.reports))

    def mark(self):
        """Tell the write side (results.write.signals, which marks them for the page cache)."""
        rows_changed.send(sender=Changes, changes=self)

    def known(self, name):
        return sorted(value for value in getattr(self, name) if value is not None)


# Sent with a Changes whenever rows were written; the models know nothing of who listens.
rows_changed = Signal()


def field_of(model, lookup):
    """The field of ``model`` a lookup starts from."""
    head = lookup.partition("__")[0]
    return model._meta.pk if head == "pk" else model._meta.get_field(head)


def parent_of(model, lookup):
    """(foreign key, rest) for a lookup through a parent ("race", "round__season__year");
    (None, lookup) for a column of the row itself."""
    _, through, rest = lookup.partition("__")
    return (field_of(model, lookup), rest) if through else (None, lookup)


def current_rows(objs, shown, stored, through_parents):
    """[{lookup: value}] for model instances as they are now.

    A lookup through a parent (a result's race) reads the parents in one query, unless ``stored``
    holds the row with the same parent; ``through_parents=False`` skips those lookups and keeps
    the rows' own columns.
    """
    rows = [{} for _ in objs]
    for lookup in shown.lookups if objs else ():
        parent, rest = parent_of(type(objs[0]), lookup)
        if parent is None:
            for obj, row in zip(objs, rows, strict=True):
                row[lookup] = getattr(obj, lookup)
            continue
        wanted = {}
        for obj, row in zip(objs, rows, strict=True):
            parent_id = getattr(obj, parent.attname)
            before = stored.get(obj.pk)
            if before is not None and before[parent.attname] == parent_id:
                row[lookup] = before[lookup]
            elif through_parents:
                wanted.setdefault(parent_id, []).append(row)
        found = parent.related_model.objects.filter(pk__in=wanted).values_list("pk", rest) if wanted else ()
        for parent_id, value in found:
            for row in wanted[parent_id]:
                row[lookup] = value
    return rows


class MarkingQuerySet(models.QuerySet):
    """A QuerySet whose writes mark what they changed for the page cache, once they are written."""

    shown = None  # a Shown; None: the model's entry in SHOWN

    def shown_rows(self):
        return self.shown or shown_by(self.model)

    def stored(self):
        """{pk: {lookup or parent key: value}} for these rows as stored (one query; none without lookups)."""
        shown = self.shown_rows()
        if not shown.lookups:
            return {}
        keys = [parent.attname for parent, _ in (parent_of(self.model, x) for x in shown.lookups) if parent]
        return {row["pk"]: row for row in self.order_by().values("pk", *shown.lookups, *keys)}

    def changes_of(self, objs, stored=None, through_parents=True):
        """What instances of this model change as they are now and as ``stored`` (:meth:`stored`) had them.

        A lookup through a parent reads the parents in one query, unless ``stored`` holds the row
        with the same parent; ``through_parents=False`` keeps only the rows' own columns.
        """
        stored, shown = stored or {}, self.shown_rows()
        return Changes.of([*stored.values(), *current_rows(objs, shown, stored, through_parents)], shown)

    def update(self, **kwargs):
        if not self.shown_rows().shows(kwargs):
            count = super().update(**kwargs)
            if count:
                Changes().mark()
            return count
        stored = self.stored()
        count = super().update(**kwargs)
        changes = self.changes_of([], stored)
        touched = {self.model._meta.get_field(name) for name in kwargs}
        if any(field_of(self.model, lookup) in touched for lookup in self.shown_rows().lookups):
            # Moved to another race, round, season or slug: it shows in both places.
            changes |= self.changes_of([], self.model.objects.using(self.db).filter(pk__in=stored).stored())
        if count:
            changes.mark()
        return count

    update.alters_data = True

    def delete(self):
        stored = self.stored()
        deleted = super().delete()
        if deleted[0]:
            self.changes_of([], stored).deleted().mark()
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        record_bulk(self.model, objs)  # its history, where the model keeps one (results.models.history)
        if objs:
            self.changes_of(objs).mark()
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        shows = self.shown_rows().shows(fields)
        stored = self.model.objects.using(self.db).filter(pk__in=[obj.pk for obj in objs]).stored()
        count = super().bulk_update(objs, fields, batch_size=batch_size)
        record_bulk(self.model, objs, update=True)
        if count:
            (self.changes_of(objs, stored) if shows else Changes()).mark()
        return count

    bulk_update.alters_data = True


def marks_itself(origin):
    """Whether a deletion started from ``origin`` marks what it deletes: a MarkingQuerySet's
    ``delete()``, or a row of a model marked through one (its receivers mark its deletion)."""
    if isinstance(origin, models.Model):
        origin = origin._meta.default_manager.none()
    return isinstance(origin, MarkingQuerySet)
