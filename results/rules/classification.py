"""A race's classification and the points each entry scores.

Editors enter what was published: positions, laps, gaps. Where a time penalty
was added after the finish to a gap entered unpenalised, :func:`classify` adds it
and re-orders the drivers it moves behind; otherwise the published order stands.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from .codes import NON_SCORING_STATUSES, UNCLASSIFIED_STATUSES
from .gaps import Gap, format_gap, format_time, parse_gap, parse_time


@dataclass(frozen=True)
class Entry:
    """One row of a race's results, as entered."""

    driver: object
    position: int | None
    status: str = "finished"
    laps: int | None = None
    gap: str = ""  # as published
    time: str = ""  # total race time as published, usually the winner's
    added_seconds: Decimal = Decimal(0)  # time penalties added after the finish
    points_set: int | None = None  # points set by hand (stewards' decisions)
    place_unknown: bool = False  # classified, but the place was not published
    place_from: int | None = None  # the band the unpublished place lies in, where known
    place_to: int | None = None


@dataclass(frozen=True)
class Classified:
    """One row of the classification as fans read it."""

    driver: object
    position: int | None
    status: str
    laps: int | None
    gap: Gap = field(default_factory=Gap)
    published_gap: str = ""
    added_seconds: Decimal = Decimal(0)
    points: int = 0
    is_points_set: bool = False
    is_leader: bool = False
    time: str = ""  # total race time as published, shown for the leader
    place_unknown: bool = False  # classified, place not published (then ``position`` is None)
    place_from: int | None = None
    place_to: int | None = None

    @property
    def is_classified(self):
        return self.position is not None or self.place_unknown

    @property
    def place_text(self):
        """The place as fans read it: "3", "7th–12th", "11th or lower", "classified"; "" if none."""
        if self.position is not None:
            return str(self.position)
        if self.place_unknown:
            return place_words(self.place_from, self.place_to)
        return ""

    @property
    def gap_text(self):
        """The gap in one style: "+1.0684", "+1 lap", "N/A"; the winner's time (or laps), or "".

        Written when shown, not when classified: standings classify every race of a season
        and show no gap.
        """
        if self.is_leader:
            return (
                format_time(parse_time(self.time))
                if self.time
                else (f"{self.laps} laps" if self.laps else "")
            )
        if (
            self.position is None
            and not self.gap.is_known
            and (self.place_unknown or self.status in UNCLASSIFIED_STATUSES)
        ):
            return ""  # no place, or a place not published: nothing to measure a gap from
        return format_gap(self.gap)


@dataclass(frozen=True)
class PointsRule:
    """A race's points: a scale for positions 1, 2, 3, … and a multiplier."""

    scale: tuple[int, ...] = ()
    multiplier: int = 1

    def for_position(self, position):
        if position is None or position < 1 or position > len(self.scale):
            return 0
        return self.scale[position - 1] * self.multiplier

    @property
    def awards_points(self):
        return any(self.scale)


def ordinal(number):
    """``ordinal(2)`` → "2nd"."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def place_words(place_from, place_to):
    """An unpublished place in words: "7th–12th", "7th", "11th or lower", or "classified" (no band)."""
    if place_from is None:
        return "classified"
    if place_to is None:
        return f"{ordinal(place_from)} or lower"
    if place_from == place_to:
        return ordinal(place_from)
    return f"{ordinal(place_from)}–{ordinal(place_to)}"


def band_points(rule, place_from=None, place_to=None, taken=(), field_size=None):
    """What the scale gives every place an unpublished place may be: {points, …}.

    The places are those of the band (1 and the end of the field where it is open) not published
    for another driver (``taken``). One value: the entry scores it; several: nobody can say.
    """
    low = place_from or 1
    ends = [end for end in (place_to, field_size) if end is not None]
    high = min(ends, default=None)  # None: the field's end is not known
    last_scored = len(rule.scale)
    top = last_scored if high is None else min(high, last_scored)
    values = {rule.for_position(p) for p in range(low, top + 1) if p not in taken}
    if high is None or any(p not in taken for p in range(max(low, last_scored + 1), high + 1)):
        values.add(0)  # a place beyond the scale (an open field always has one)
    return values or {0}


def points_for(entry, rule, taken=(), field_size=None):
    """Points an entry scores: set by hand, else its place on the scale; never for DSQ/DNS/NC.

    An unpublished place scores what the scale gives every place it may be, where that is one
    value (usually 0); where the places differ it scores 0 (and the sheet's check says so).
    """
    if entry.points_set is not None:
        return entry.points_set
    if entry.status in NON_SCORING_STATUSES:
        return 0
    if entry.position is None and entry.place_unknown:
        values = band_points(rule, entry.place_from, entry.place_to, taken, field_size)
        return values.pop() if len(values) == 1 else 0
    return rule.for_position(entry.position)


def _place_order(entry):
    """Unpublished places by their band, the narrowest first; those without a band last."""
    return (entry.place_from is None, entry.place_from or 0, entry.place_to or float("inf"))


def _gap_after_penalties(entry):
    gap = parse_gap(entry.gap)
    if entry.position == 1 and not gap.is_known:
        gap = Gap(seconds=Decimal(0))  # the winner is 0 behind the winner
    if entry.added_seconds and gap.seconds is not None:
        gap = Gap(seconds=gap.seconds + entry.added_seconds)
    return gap


def classify(entries, rule=PointsRule(), *, is_complete=False):
    """The classification of a race: final positions, gaps in one style, points.

    Classified entries keep their published order unless a time penalty added
    after the finish moves a driver behind others (equal gaps keep their
    published order; a driver whose gap is unknown keeps their place).
    Classified entries whose place was not published follow, by their band
    (those without a band last), then unclassified entries (no position) in
    the order given. ``is_complete``: every classified driver is listed, so the
    field ends with them (an unpublished place cannot lie beyond it).
    """
    entries = list(entries)
    ranked = sorted((e for e in entries if e.position is not None), key=lambda e: e.position)
    pairs = [(entry, _gap_after_penalties(entry)) for entry in ranked]
    known = [index for index, (_, gap) in enumerate(pairs) if gap.is_known]
    if any(e.added_seconds for e in ranked) and len(known) > 1:
        # Drivers whose gap is known swap places among themselves; a driver whose gap is
        # unknown (N/A) keeps the place published, since nobody can say who passed them.
        slots = [pairs[index][0].position for index in known]
        moved = sorted(
            (pairs[index] for index in known), key=lambda pair: (pair[1].sort_key(), pair[0].position)
        )
        for index, slot, (entry, gap) in zip(known, slots, moved, strict=True):
            pairs[index] = (replace(entry, position=slot), gap)
    leader = (pairs[0][1].seconds or Decimal(0)) if pairs else Decimal(0)
    rows = [
        _row(entry, _behind(gap, leader), rule, is_leader=index == 0 and entry.position == 1)
        for index, (entry, gap) in enumerate(pairs)
    ]
    unplaced = sorted((e for e in entries if e.position is None and e.place_unknown), key=_place_order)
    taken = {e.position for e in ranked}
    field_size = len(ranked) + len(unplaced) if is_complete else None
    rows.extend(
        _row(e, parse_gap(e.gap), rule, is_leader=False, taken=taken, field_size=field_size) for e in unplaced
    )
    rows.extend(
        _row(e, parse_gap(e.gap), rule, is_leader=False)
        for e in entries
        if e.position is None and not e.place_unknown
    )
    return rows


def _behind(gap, leader_seconds):
    if gap.seconds is None or not leader_seconds:
        return gap
    return Gap(seconds=gap.seconds - leader_seconds)


def _row(entry, gap, rule, *, is_leader, taken=(), field_size=None):
    return Classified(
        driver=entry.driver,
        position=entry.position,
        status=entry.status,
        laps=entry.laps,
        gap=gap,
        published_gap=entry.gap,
        added_seconds=entry.added_seconds,
        points=points_for(entry, rule, taken, field_size),
        is_points_set=entry.points_set is not None,
        is_leader=is_leader,
        time=entry.time,
        place_unknown=entry.place_unknown and entry.position is None,
        place_from=entry.place_from,
        place_to=entry.place_to,
    )
