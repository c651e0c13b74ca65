"""What a correction changed: rows as they stood at a moment, and the effect in words.

Plain functions over plain data: the versions of rows (from the history tables) and their
classification and standings before and after, as the rules compute them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Version:
    """One version of a row: its id, when it was written, "+" created, "~" changed, "-" deleted."""

    id: object
    at: object
    kind: str
    row: object


def rows_at(versions, current, moment):
    """The rows as they stood at ``moment``: {id: row}.

    ``versions`` are oldest first; a row with no version at all (written before the history began)
    stood as it is now (``current``: {id: row}); a row whose first version is later did not exist yet.
    """
    latest = {}
    seen = set()
    for version in versions:
        seen.add(version.id)
        if version.at <= moment:
            latest[version.id] = version
    rows = {key: row for key, row in current.items() if key not in seen}
    rows.update({key: v.row for key, v in latest.items() if v.kind != "-"})
    return rows


@dataclass(frozen=True)
class Placed:
    """A competitor's place and points in a race or a table."""

    competitor: object
    name: str
    position: int | None
    points: int


def ordinal(number):
    if number is None:
        return "unplaced"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def race_effect(before, after):
    """["Serrano 2nd → 3rd, −1 point", "Gallo 4th, +3 points", …] for the competitors whose place or
    points changed (a place that did not change is named once)."""
    was = {p.competitor: p for p in before}
    now = {p.competitor: p for p in after}
    lines = []
    for competitor in [*now, *(c for c in was if c not in now)]:
        old, new = was.get(competitor), now.get(competitor)
        name = (new or old).name
        if old is None:
            lines.append(f"{name} added: {ordinal(new.position)}, {_points(new.points)}")
        elif new is None:
            lines.append(f"{name} removed (was {ordinal(old.position)}, {_points(old.points)})")
        elif (old.position, old.points) != (new.position, new.points):
            place = ordinal(new.position)
            if old.position != new.position:
                place = f"{ordinal(old.position)} → {place}"
            parts = [f"{name} {place}"]
            if new.points != old.points:
                parts.append(_signed_points(new.points - old.points))
            lines.append(", ".join(parts))
    return lines


def table_effect(title, before, after):
    """["Nations Cup standings: Serrano 3rd → 4th", …] for the competitors who moved in a table."""
    was = {p.competitor: p for p in before}
    moves = []
    for new in after:
        old = was.get(new.competitor)
        if old is None:
            moves.append(f"{new.name} enters {ordinal(new.position)}")
        elif old.position != new.position:
            moves.append(f"{new.name} {ordinal(old.position)} → {ordinal(new.position)}")
    return [f"{title}: {'; '.join(moves)}"] if moves else []


def _points(points):
    return f"{points} point{'' if points == 1 else 's'}"


def _signed_points(difference):
    sign = "+" if difference > 0 else "−"
    return f"{sign}{_points(abs(difference))}"
