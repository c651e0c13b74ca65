"""Championship standings after any round or any race, by driver, team or nation.

Standings are a sum over plain :class:`Score` rows (one per competitor per race),
so they can never disagree with the results they come from. Two tie-breaks:

* ``shared``: equal points share a position (1, 2, 2, 2, 5), as GTWS tables show;
* ``countback``: equal points are split by most wins, then most second places,
  and so on; only identical records share a position.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

SHARED = "shared"
COUNTBACK = "countback"


@dataclass(frozen=True)
class Score:
    """What one competitor took from one race."""

    round: int
    race: object
    competitor: object
    name: str
    position: int | None  # final classified position in the race
    points: int
    counts_places: bool = True  # the race awards points, so its places count as wins, podiums and countback
    race_number: int = 0  # the race's order within its round (1, 2, 3), for standings after a race

    @property
    def race_order(self):
        """Where the race comes in the season: (round, race number)."""
        return (self.round, self.race_number)


@dataclass(frozen=True)
class Standing:
    position: int
    competitor: object
    name: str
    points: int
    wins: int
    podiums: int
    round_points: dict = field(default_factory=dict)  # round number -> points
    places: tuple = ()  # how many 1st, 2nd, 3rd, … places
    previous_position: int | None = None
    is_shared: bool = False
    tie_note: str = ""  # in words, where countback decided the place

    @property
    def movement(self):
        """Places gained since the previous round (negative: lost); None for a newcomer or round 1."""
        if self.previous_position is None:
            return None
        return self.previous_position - self.position


def _places_in_words(index, count):
    """``_places_in_words(0, 2)`` → "2 wins"; ``(1, 1)`` → "1 second place"."""
    number = index + 1
    if index == 0:
        noun = "win"
    elif index < 3:
        noun = f"{('second', 'third')[index - 1]} place"
    else:
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        noun = f"{number}{suffix} place"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _table(scores, tie_break):
    points = Counter()
    names = {}
    round_points = defaultdict(Counter)
    places = defaultdict(Counter)
    for score in scores:
        points[score.competitor] += score.points
        names.setdefault(score.competitor, score.name)
        round_points[score.competitor][score.round] += score.points
        if score.counts_places and score.position is not None:
            places[score.competitor][score.position] += 1
    longest = max((max(c) for c in places.values() if c), default=0)

    def record(competitor):
        return tuple(places[competitor][p] for p in range(1, longest + 1))

    competitors = sorted(
        points, key=lambda c: (-points[c], tuple(-n for n in record(c)), names[c].casefold(), str(c))
    )

    def same_place(a, b):
        return not (
            ranks_ahead(points[a], record(a), points[b], record(b), tie_break)
            or ranks_ahead(points[b], record(b), points[a], record(a), tie_break)
        )

    rows = []
    for index, competitor in enumerate(competitors):
        if index and same_place(competitors[index - 1], competitor):
            position = rows[-1]["position"]
        else:
            position = index + 1
        rows.append({"position": position, "competitor": competitor})
    for index, row in enumerate(rows):
        competitor = row["competitor"]
        neighbours = [rows[i]["competitor"] for i in (index - 1, index + 1) if 0 <= i < len(rows)]
        row["is_shared"] = any(r["position"] == row["position"] for r in rows if r is not row)
        row["tie_note"] = ""
        if tie_break == COUNTBACK:
            row["tie_note"] = _countback_note(competitor, neighbours, points, record, names)
    return [
        Standing(
            position=row["position"],
            competitor=row["competitor"],
            name=names[row["competitor"]],
            points=points[row["competitor"]],
            wins=places[row["competitor"]][1],
            podiums=sum(places[row["competitor"]][p] for p in (1, 2, 3)),
            round_points=dict(sorted(round_points[row["competitor"]].items())),
            places=record(row["competitor"]),
            is_shared=row["is_shared"],
            tie_note=row["tie_note"],
        )
        for row in rows
    ]


def ranks_ahead(points, places, other_points, other_places, tie_break):
    """Whether ``points`` with ``places`` (how many 1st, 2nd, 3rd, … places) rank ahead of the
    other's: more points, or under countback as many points and a better record."""
    if points != other_points:
        return points > other_points
    if tie_break != COUNTBACK:
        return False
    length = max(len(places), len(other_places))
    return tuple(places) + (0,) * (length - len(places)) > tuple(other_places) + (0,) * (
        length - len(other_places)
    )


def _countback_note(competitor, neighbours, points, record, names):
    """Why countback put this competitor ahead of or behind an equal on points."""
    notes = []
    for other in neighbours:
        if points[other] != points[competitor] or record(other) == record(competitor):
            continue
        mine, theirs = record(competitor), record(other)
        index = next(i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b)
        side = "Ahead of" if mine[index] > theirs[index] else "Behind"
        notes.append(
            f"{side} {names[other]} on countback: {_places_in_words(index, mine[index])} to {theirs[index]}."
        )
    return " ".join(notes)


def races_in_order(scores):
    """The races with scores, in the order they were run: [(round, race number, race), …]."""
    return sorted({(s.round, s.race_number, s.race) for s in scores}, key=lambda r: (r[0], r[1], str(r[2])))


def standings(scores, *, tie_break=SHARED, after_round=None, after_race=None):
    """The standings after ``after_round`` (default: the last round with scores), or after the race
    ``after_race`` (a race of the scores) counting the results up to and including it.

    Each row carries its points per round, wins, podiums, and its position after
    the previous round with scores (after a race: after the race before it), from which its
    movement follows.
    """
    scores = list(scores)
    if after_race is not None:
        return _standings_after_race(scores, tie_break, after_race)
    rounds = sorted({s.round for s in scores if after_round is None or s.round <= after_round})
    if not rounds:
        return []
    current = _table([s for s in scores if s.round <= rounds[-1]], tie_break)
    if len(rounds) == 1:
        return current
    before = {
        row.competitor: row.position
        for row in _table([s for s in scores if s.round <= rounds[-2]], tie_break)
    }
    return [replace(row, previous_position=before.get(row.competitor)) for row in current]


def _standings_after_race(scores, tie_break, race):
    order = races_in_order(scores)
    index = next((i for i, (_, _, r) in enumerate(order) if r == race), None)
    if index is None:
        return []
    kept = {r for _, _, r in order[: index + 1]}
    current = _table([s for s in scores if s.race in kept], tie_break)
    if index == 0:
        return current
    before_kept = kept - {race}
    before = {
        row.competitor: row.position
        for row in _table([s for s in scores if s.race in before_kept], tie_break)
    }
    return [replace(row, previous_position=before.get(row.competitor)) for row in current]


def progression(scores, *, tie_break=SHARED):
    """Standings after each round with scores: {round: [Standing, ...]} (for charts)."""
    scores = list(scores)
    return {
        r: standings(scores, tie_break=tie_break, after_round=r) for r in sorted({s.round for s in scores})
    }
