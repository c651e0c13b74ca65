"""The predictions game's scoring: a fan's picks for a race against its podium.

A pick names competitors in places (winner first; in a main race also second and third). The
podium is the race's final classification's first three (penalties after the finish counted), or
None for a place not known. Each competitor picked scores

* ``WINNER`` (5) when picked to win and the winner,
* ``IN_PLACE`` (3) when picked second or third and finishing in that place,
* ``ON_PODIUM`` (1) when on the podium in another place than picked,

and nothing otherwise: at most 11 for a main race, 5 for a sprint (where only the winner is picked).
A race is scored only once all three podium places are known (a sprint's: its winner). A scored pick
also says whether its winner won (the leaderboards' "exact winners", the race page's "got the winner
right"), from the same podium as its points.
"""

from dataclasses import dataclass

WINNER = 5
IN_PLACE = 3
ON_PODIUM = 1


def podium_known(podium, places=3):
    """Whether the first ``places`` places of ``podium`` are all known."""
    return len(podium) >= places and all(entrant is not None for entrant in podium[:places])


@dataclass(frozen=True)
class Scored:
    """A pick's score: its points, and whether the competitor it picked to win won."""

    points: int
    is_winner_right: bool


def scored(picked, podium):
    """``picked`` (competitors, winner first; None for a place not picked) scored against ``podium``.

    Competitors are any comparable values (the models use ``("driver", id)`` or ``("team", id)``).
    Returns None while the podium places the pick needs are not known.
    """
    places = 3 if any(entrant is not None for entrant in picked[1:]) else 1
    if not podium_known(podium, places):
        return None
    top = list(podium[:3])
    points = 0
    for place, entrant in enumerate(picked):
        if entrant is None:
            continue
        if place < len(top) and top[place] == entrant:
            points += WINNER if place == 0 else IN_PLACE
        elif entrant in top:
            points += ON_PODIUM
    return Scored(points, picked[0] is not None and picked[0] == top[0])


def podium(finishers, places=3):
    """The first ``places`` places of a classification: ``(competitor or None, …)``, winner first.

    ``finishers`` are ``(position, competitor)`` pairs of the final classification (penalties after
    the finish already counted); a place nobody holds, or held by a competitor not known, is None.
    """
    held = {}
    for position, competitor in finishers:
        if position is not None and 1 <= position <= places and position not in held:
            held[position] = competitor
    return tuple(held.get(place) for place in range(1, places + 1))


# How many places a fan picks in a race of each kind: the podium in a main race, the winner in a
# sprint or a heat; qualifying is not picked.
PLACES_PICKED = {"main": 3, "sprint": 1, "heat": 1}


def places_picked(kind):
    """How many places a fan picks in a race of this kind (0: not picked)."""
    return PLACES_PICKED.get(kind, 0)
