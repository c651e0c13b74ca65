"""Checks of one race's sheet: results, grid, tyre stints, pit stops and penalties.

The admin, the season importer and the paste tool all hand a :class:`RaceSheet`
to :func:`check_race` and show the problems it returns, each naming its section,
its row (1-based, as the editor sees it) and the field concerned.
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from .classification import PointsRule, band_points, place_words
from .codes import COMPOUNDS, FINISHED, NON_SCORING_STATUSES, STATUSES, UNCLASSIFIED_STATUSES
from .limits import MAX_FIELD_SIZE, MAX_LAPS


@dataclass(frozen=True)
class ResultRow:
    row: int
    driver: object  # any hashable key for the driver; ``name`` is what messages show
    name: str
    position: int | None
    laps: int | None = None
    status: str = FINISHED
    place_unknown: bool = False  # classified, place not published
    place_from: int | None = None  # the band of such a place, where known
    place_to: int | None = None
    points_set: int | None = None  # points set by hand


@dataclass(frozen=True)
class GridRow:
    row: int
    driver: object
    name: str
    position: int
    compound: str = ""


@dataclass(frozen=True)
class StintRow:
    row: int
    driver: object
    name: str
    compound: str
    first_lap: int | None
    last_lap: int | None


@dataclass(frozen=True)
class LapRow:
    """A pit stop or a penalty: something that happened to a driver on a lap."""

    row: int
    driver: object
    name: str
    lap: int | None


@dataclass(frozen=True)
class RaceSheet:
    laps: int | None  # scheduled laps; None for a timed race
    is_complete: bool = True
    points_scale: tuple = ()  # points for places 1, 2, 3, … (the race's scale)
    results: list[ResultRow] = field(default_factory=list)
    grid: list[GridRow] = field(default_factory=list)
    stints: list[StintRow] = field(default_factory=list)
    pit_stops: list[LapRow] = field(default_factory=list)
    penalties: list[LapRow] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    section: str  # "results", "grid", "stints", "pit_stops", "penalties"
    row: int | None  # None: the section as a whole
    field: str | None
    detail: str  # what is wrong, without saying where
    label: str = ""  # where, in the caller's words: "Row 3 (López)"

    @property
    def message(self):
        return f"{self.label}: {self.detail}" if self.label else self.detail

    def __str__(self):
        return self.message


def row_words(section, row):
    """How the admin names a row: “row 3”."""
    return f"row {row}"


class _Sheet:
    """Builds problems that name rows the way the caller does."""

    def __init__(self, sheet, where):
        self.sheet = sheet
        self.where = where

    def ref(self, section, row):
        return f"{self.where(section, row.row)} ({row.name})"

    def problem(self, section, row, field, detail):
        if row is None:
            return Problem(section, None, field, detail)
        label = self.ref(section, row)
        return Problem(section, row.row, field, detail, label[:1].upper() + label[1:])


def repeats(rows, key):
    """(row, the earlier row) for each row whose ``key`` (None: not compared) an earlier row has."""
    seen = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in seen:
            yield row, seen[value]
        else:
            seen[value] = row


def _repeats(ctx, section, rows, key, field_name, describe):
    """A problem for each row whose ``key`` an earlier row already used."""
    for row, first in repeats(rows, key):
        yield ctx.problem(
            section, row, field_name, f"{describe(row)} is already in {ctx.ref(section, first)}."
        )


def _check_results(ctx):
    sheet, rows = ctx.sheet, ctx.sheet.results
    yield from _repeats(ctx, "results", rows, lambda r: r.driver, "driver", lambda r: r.name)
    yield from _repeats(
        ctx, "results", rows, lambda r: r.position, "position", lambda r: f"position {r.position}"
    )
    for row in rows:
        status_name = STATUSES.get(row.status, row.status)
        if row.position is not None and row.status in UNCLASSIFIED_STATUSES:
            yield ctx.problem(
                "results",
                row,
                "position",
                f"a driver marked “{status_name}” has no finishing position; leave the position blank.",
            )
        if row.position is None and row.status == FINISHED and not row.place_unknown:
            yield ctx.problem(
                "results",
                row,
                "position",
                "a finisher needs a finishing position, or to be marked “classified, place not published”.",
            )
        yield from _check_place_band(ctx, row)
        if row.position is not None and row.position > MAX_FIELD_SIZE:
            yield ctx.problem("results", row, "position", _beyond_the_field("position", row.position))
        limit, why = _lap_limit(sheet, {}, row)
        if row.laps is not None and row.laps > limit:
            yield ctx.problem("results", row, "laps", f"{row.laps} laps completed, but {why}.")
    # Positions beyond the largest field are refused above; the gaps are looked for below it.
    positions = sorted({r.position for r in rows if r.position is not None and r.position <= MAX_FIELD_SIZE})
    unplaced = [r for r in rows if r.place_unknown and r.position is None]
    yield from _check_band_points(ctx, positions, unplaced)
    if sheet.is_complete and positions:
        missing = sorted(set(range(1, positions[-1] + 1)) - set(positions))
        if len(missing) > len(unplaced):  # drivers whose place was not published may hold them
            listed = ", ".join(str(p) for p in missing)
            yield ctx.problem(
                "results",
                None,
                "position",
                f"Positions must run from 1 to {positions[-1]} without gaps, but {listed} "
                f"{'is' if len(missing) == 1 else 'are'} missing. If the published "
                "classification is only partly known, mark it as not complete.",
            )


def _check_place_band(ctx, row):
    """An unpublished place: only for a classified driver without a position; its band in order."""
    has_band = row.place_from is not None or row.place_to is not None
    if not row.place_unknown:
        if has_band:
            yield ctx.problem(
                "results",
                row,
                "place_unknown",
                "a band of places is given only for a place not published; "
                "tick “classified, place not published” or clear the band.",
            )
        return
    if row.position is not None:
        yield ctx.problem(
            "results",
            row,
            "position",
            f"position {row.position} is published, but the row is marked “place not published”; "
            "keep one of them.",
        )
    if row.status in UNCLASSIFIED_STATUSES:
        status_name = STATUSES.get(row.status, row.status)
        yield ctx.problem(
            "results",
            row,
            "place_unknown",
            f"a driver marked “{status_name}” is not classified, so has no place, published or not.",
        )
    for name, place in (("place_from", row.place_from), ("place_to", row.place_to)):
        if place is not None and not 1 <= place <= MAX_FIELD_SIZE:
            yield ctx.problem("results", row, name, _beyond_the_field("place", place))
            return
    if row.place_to is not None and row.place_from is None:
        yield ctx.problem(
            "results", row, "place_from", f"the band ends at {row.place_to}; give the place it starts at too."
        )
    elif row.place_to is not None and row.place_from > row.place_to:
        yield ctx.problem(
            "results",
            row,
            "place_to",
            f"the band runs from {row.place_from} to {row.place_to}; write the higher place first "
            f"({row.place_to} to {row.place_from}).",
        )


def _check_band_points(ctx, positions, unplaced):
    """A place not published scores only where the scale gives every place of its band the same."""
    sheet = ctx.sheet
    rule = PointsRule(tuple(sheet.points_scale))
    field_size = len(positions) + len(unplaced) if sheet.is_complete else None
    for row in unplaced:
        if row.points_set is not None or row.status in NON_SCORING_STATUSES:
            continue
        if row.place_from is not None and row.place_to is not None and row.place_from > row.place_to:
            continue  # reported above
        values = band_points(rule, row.place_from, row.place_to, set(positions), field_size)
        if len(values) > 1:
            listed = ", ".join(str(v) for v in sorted(values, reverse=True))
            yield ctx.problem(
                "results",
                row,
                "place_to" if row.place_from is not None else "place_unknown",
                f"the places it may be ({place_words(row.place_from, row.place_to)}) score differently "
                f"on the race's scale ({listed} points); give a narrower band, or set the points by hand.",
            )


def _check_grid(ctx):
    rows = ctx.sheet.grid
    yield from _repeats(ctx, "grid", rows, lambda r: r.driver, "driver", lambda r: r.name)
    yield from _repeats(
        ctx, "grid", rows, lambda r: r.position, "position", lambda r: f"grid slot {r.position}"
    )
    for row in rows:
        if row.position > MAX_FIELD_SIZE:
            yield ctx.problem("grid", row, "position", _beyond_the_field("grid slot", row.position))


def _beyond_the_field(what, number):
    return f"{what} {number} is beyond the largest field ({MAX_FIELD_SIZE} drivers)."


def _laps_of(sheet):
    """Laps completed by each driver, where the results give them."""
    return {r.driver: r.laps for r in sheet.results if r.laps is not None}


def _lap_limit(sheet, laps_done, row):
    """The last lap a driver can have run, and the words that explain it."""
    if sheet.laps is not None:
        limit, why = sheet.laps, f"the race is {sheet.laps} laps long"
    else:
        limit, why = MAX_LAPS, f"no race is longer than {MAX_LAPS} laps"
    done = laps_done.get(row.driver)
    if done is not None and done <= limit:  # more laps than the race has is a problem of the results
        return done, f"{row.name} completed {done} lap{'s' if done != 1 else ''}"
    return limit, why


def _check_stints(ctx):
    sheet = ctx.sheet
    laps_done = _laps_of(sheet)
    starting = {g.driver: g.compound for g in sheet.grid if g.compound}
    by_driver = defaultdict(list)
    for row in sheet.stints:
        if row.compound not in COMPOUNDS:
            yield ctx.problem("stints", row, "compound", f"unknown compound “{row.compound}”.")
        if row.first_lap is None and row.last_lap is None:
            continue  # a compound used on laps not known: nothing to check against the race
        if row.first_lap is not None and row.last_lap is not None and row.first_lap > row.last_lap:
            yield ctx.problem(
                "stints",
                row,
                "last_lap",
                f"the stint ends on lap {row.last_lap}, before it starts on lap {row.first_lap}.",
            )
            continue
        limit, why = _lap_limit(sheet, laps_done, row)
        furthest = row.last_lap if row.last_lap is not None else row.first_lap
        if furthest > limit:
            yield ctx.problem(
                "stints",
                row,
                "last_lap" if row.last_lap is not None else "first_lap",
                f"the stint runs to lap {furthest}, but {why}.",
            )
        if row.first_lap == 1 and starting.get(row.driver, row.compound) != row.compound:
            grid_compound = COMPOUNDS.get(starting[row.driver], starting[row.driver])
            stint_compound = COMPOUNDS.get(row.compound, row.compound)
            yield ctx.problem(
                "stints",
                row,
                "compound",
                f"the first stint is on {stint_compound}, "
                f"but the grid says {row.name} started on {grid_compound}.",
            )
        by_driver[row.driver].append(row)
    for rows in by_driver.values():
        yield from _order_of_stints(ctx, rows)


def _span(row):
    """The laps a stint is known to cover (a stint with one end unknown covers that lap)."""
    first = row.first_lap if row.first_lap is not None else row.last_lap
    last = row.last_lap if row.last_lap is not None else row.first_lap
    return first, last


def _order_of_stints(ctx, rows):
    ordered = sorted(rows, key=lambda r: (_span(r), r.row))
    first = ordered[0]
    if first.first_lap is not None and first.first_lap != 1:
        yield ctx.problem(
            "stints",
            first,
            "first_lap",
            f"the first stint starts on lap {first.first_lap}; a race starts on lap 1. "
            "Leave the first lap blank if it is not known.",
        )
    for earlier, later in itertools.pairwise(ordered):
        if _span(later)[0] <= _span(earlier)[1]:
            a, b = sorted((earlier, later), key=lambda r: r.row)
            yield ctx.problem(
                "stints",
                b,
                "first_lap",
                f"the stint ({_describe_span(b)}) overlaps the stint in {ctx.where('stints', a.row)} "
                f"({_describe_span(a)}).",
            )


def _describe_span(row):
    first, last = row.first_lap, row.last_lap
    if first is not None and last is not None:
        return f"lap {first}" if first == last else f"laps {first}–{last}"
    return f"from lap {first}" if first is not None else f"to lap {last}"


def _check_laps(ctx, section, rows, what):
    laps_done = _laps_of(ctx.sheet)
    for row in rows:
        if row.lap is None:
            continue
        limit, why = _lap_limit(ctx.sheet, laps_done, row)
        if row.lap > limit:
            yield ctx.problem(section, row, "lap", f"{what} on lap {row.lap}, but {why}.")


def _check_pit_stops(ctx):
    rows = ctx.sheet.pit_stops
    yield from _check_laps(ctx, "pit_stops", rows, "a pit stop")
    yield from _repeats(
        ctx,
        "pit_stops",
        rows,
        lambda r: (r.driver, r.lap) if r.lap is not None else None,
        "lap",
        lambda r: f"a pit stop on lap {r.lap}",
    )


def check_race(sheet, where=row_words):
    """Every problem in a race's sheet, in the order the sections appear on the page.

    ``where(section, row)`` names a row in the caller's terms: the admin says
    “row 3”, the season importer ``results[2]``.
    """
    ctx = _Sheet(sheet, where)
    return [
        *_check_results(ctx),
        *_check_grid(ctx),
        *_check_stints(ctx),
        *_check_pit_stops(ctx),
        *_check_laps(ctx, "penalties", sheet.penalties, "a penalty"),
    ]
