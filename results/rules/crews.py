"""Crews: several drivers sharing one car (an entry), as at the Manufacturers Cup World Finals relay.

An entry scores once for its team (or nation). What its drivers score in driver standings follows
the competition: ``each`` driver of the crew scores the entry's points, or ``none`` of them does.
An entry of one driver always scores for that driver.
"""

from dataclasses import dataclass, replace

EACH = "each"
NONE = "none"


@dataclass(frozen=True)
class CrewSeat:
    """A driver of an entry, as standings name them."""

    driver: object
    name: str
    nation: str = ""
    slug: str = ""


def driver_points(points, crew_size, crew_points=EACH):
    """What each driver of an entry of ``crew_size`` drivers scores from its ``points``."""
    if crew_size <= 1 or crew_points == EACH:
        return points
    return 0


def crew_scores(score, seats, crew_points=EACH):
    """One driver-standings score per driver of a crew, from the ``score`` of the entry's first driver.

    ``seats`` are the other drivers (CrewSeat), in crew order; ``score`` is a Score (or a dataclass
    built on it) whose competitor is the first driver. Every driver keeps the entry's place (a win
    is a win for the whole crew); the points follow ``crew_points``.
    """
    points = driver_points(score.points, 1 + len(seats), crew_points)
    first = replace(score, points=points)
    others = []
    for seat in seats:
        changes = {"competitor": seat.driver, "name": seat.name, "points": points}
        for name in ("nation", "slug"):
            if hasattr(score, name):
                changes[name] = getattr(seat, name)
        others.append(replace(score, **changes))
    return [first, *others]
