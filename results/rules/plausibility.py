"""Plausibility warnings: what may well be right as published, but deserves a second look.

A hard error (a repeated position, the same driver twice) is a problem of :mod:`.checks` and stops a
save. A warning here does not: results are entered as the sources give them, and sources do print
gaps out of order or a nation the driver does not usually race for. The editor sees each warning in
the preview and acknowledges them before saving (:func:`acknowledgement`): a save whose warnings
differ from the ones acknowledged is refused, so a warning is never skipped unseen.
"""

import hashlib
import itertools
from dataclasses import dataclass, field

from .checks import row_words
from .codes import COMPOUNDS, FINISHED
from .gaps import GapError, parse_gap
from .tyres import BREACH, Stint, check_tyres


@dataclass(frozen=True)
class Finisher:
    """One line of a classification, with what is stored about its driver for comparison."""

    row: int
    driver: object
    name: str
    position: int | None
    laps: int | None = None
    gap: str = ""
    status: str = FINISHED
    nation: str = ""  # as the line gives it; "" when it gives none
    stored_nation: str = ""  # the driver's nation as stored; "" for a new driver
    team: str = ""  # as the line gives it
    stored_teams: tuple = ()  # the teams the driver entered before in this competition
    points_set: int | None = None  # points set by hand


@dataclass(frozen=True)
class Plan:
    """One driver's tyre strategy, with the laps the driver completed."""

    row: int
    driver: object
    name: str
    stints: tuple  # :class:`~.tyres.Stint`
    laps_completed: int | None


@dataclass(frozen=True)
class GridPlace:
    row: int
    driver: object
    name: str
    position: int


@dataclass(frozen=True)
class Sheet:
    results: list = field(default_factory=list)  # Finisher
    points_scale: tuple = ()
    points_multiplier: int = 1
    grid: list = field(default_factory=list)  # GridPlace
    grid_source: str = ""  # the race that sets the grid, by name; "" when none does
    grid_expected: dict = field(default_factory=dict)  # driver → grid slot the source race gives
    plans: list = field(default_factory=list)  # Plan
    required_compounds: tuple = ()
    required_at_least: int | None = None


@dataclass(frozen=True)
class Warning:
    section: str  # "results", "grid", "stints"
    row: int | None
    code: str  # what kind of warning: "gap_order", "lapped_ahead", "nation", "team", "points", …
    detail: str
    label: str = ""

    @property
    def message(self):
        return f"{self.label}: {self.detail}" if self.label else self.detail

    def __str__(self):
        return self.message


def warnings(sheet, where=row_words):
    """Every warning in ``sheet``, in the order of the page; ``where(section, row)`` names a row."""

    def warn(section, row, code, detail):
        label = f"{where(section, row.row)} ({row.name})"
        return Warning(section, row.row, code, detail, label[:1].upper() + label[1:])

    return [
        *_gaps(sheet, warn),
        *_identity(sheet, warn),
        *_points(sheet, warn),
        *_grid(sheet, warn),
        *_tyres(sheet, warn),
    ]


def acknowledgement(found):
    """A short digest of the warnings: the preview sends it with the form, and a save goes ahead only
    when the warnings it finds then are the ones the editor saw."""
    text = "\n".join(w.message for w in found)
    return hashlib.sha256(text.encode()).hexdigest()[:16] if found else ""


def _gap(text):
    try:
        return parse_gap(text)
    except GapError:
        return None  # a gap that cannot be read is an error of its own, reported by the parser


def _gaps(sheet, warn):
    """Gaps that shrink down the order, and a lapped car ahead of a car on the lead lap."""
    finishers = [r for r in sheet.results if r.position is not None and r.status == FINISHED]
    ranked = sorted(finishers, key=lambda r: r.position)
    winner_laps = next((r.laps for r in ranked if r.laps is not None), None)
    for ahead, behind in itertools.pairwise(ranked):
        gap_ahead, gap_behind = _gap(ahead.gap), _gap(behind.gap)
        if _lapped(ahead, gap_ahead, winner_laps) and _on_lead_lap(behind, gap_behind, winner_laps):
            yield warn(
                "results",
                behind,
                "lapped_ahead",
                f"on the lead lap ({behind.gap or 'no gap'}), but behind {ahead.name}, who is "
                f"{_laps_down_words(ahead, gap_ahead, winner_laps)}.",
            )
        elif (
            gap_ahead is not None
            and gap_behind is not None
            and gap_ahead.is_known
            and gap_behind.is_known
            and gap_behind.sort_key() < gap_ahead.sort_key()
        ):
            yield warn(
                "results",
                behind,
                "gap_order",
                f"the gap {behind.gap} is smaller than {ahead.name}'s {ahead.gap} in the place ahead.",
            )


def _lapped(row, gap, winner_laps):
    if gap is not None and gap.laps is not None:
        return True
    return winner_laps is not None and row.laps is not None and row.laps < winner_laps


def _on_lead_lap(row, gap, winner_laps):
    if gap is not None and gap.seconds is not None:
        return winner_laps is None or row.laps is None or row.laps == winner_laps
    return False


def _laps_down_words(row, gap, winner_laps):
    down = gap.laps if gap is not None and gap.laps is not None else winner_laps - row.laps
    return f"{down} lap{'s' if down != 1 else ''} down"


def _identity(sheet, warn):
    """A nation or team other than the stored one."""
    for row in sheet.results:
        if row.nation and row.stored_nation and row.nation != row.stored_nation:
            yield warn(
                "results",
                row,
                "nation",
                f"the line says {row.nation}, but {row.name} is stored as racing for {row.stored_nation}.",
            )
        stored = [team for team in row.stored_teams if team]
        if row.team and stored and row.team.casefold() not in {team.casefold() for team in stored}:
            yield warn(
                "results",
                row,
                "team",
                f"the line says {row.team}, but {row.name} entered this competition with "
                f"{', '.join(stored)}.",
            )


def _points(sheet, warn):
    """Points set by hand that differ from the race's scale."""
    scale = tuple(sheet.points_scale)
    for row in sheet.results:
        if row.points_set is None or row.position is None or row.status != FINISHED:
            continue
        expected = scale[row.position - 1] * sheet.points_multiplier if row.position <= len(scale) else 0
        if row.points_set != expected:
            yield warn(
                "results",
                row,
                "points",
                f"{row.points_set} points set by hand, but the scale gives position {row.position} "
                f"{expected}.",
            )


def _grid(sheet, warn):
    """A grid that does not follow the race it is set from."""
    if not sheet.grid_source or not sheet.grid_expected:
        return
    for place in sheet.grid:
        expected = sheet.grid_expected.get(place.driver)
        if expected is not None and expected != place.position:
            yield warn(
                "grid",
                place,
                "grid",
                f"grid slot {place.position}, but the {sheet.grid_source}'s final classification puts "
                f"{place.name} in slot {expected}.",
            )


def _tyres(sheet, warn):
    """A whole strategy known, without a mandatory compound."""
    if not sheet.required_compounds:
        return
    for plan in sheet.plans:
        stints = [s if isinstance(s, Stint) else Stint(*s) for s in plan.stints]
        required = list(sheet.required_compounds)
        result = check_tyres(stints, plan.laps_completed, required, sheet.required_at_least)
        if result.status == BREACH:
            missing = ", ".join(COMPOUNDS.get(c, c) for c in result.missing)
            yield warn("stints", plan, "tyres", f"the whole strategy is known and never uses {missing}.")
