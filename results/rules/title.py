"""Who can still win the championship, and what each contender needs in the next race.

Exact, not sampled: every answer holds for every finishing order of the races left, where each
contender takes a place on the race's scale (1st, 2nd, …) or finishes outside the points (no
place counted: which place outside the points cannot be foretold), two contenders never share
a place, and the other places go to drivers out of contention. The ranking is the standings'
own (:func:`results.rules.standings.ranks_ahead`, shared or countback), two competitors at a
time.

Why two at a time is enough: a contender is first (alone or sharing) when nobody ranks ahead
of them, and whoever is to be ahead of a contender does best by scoring most in every race
while the contender scores nothing (the place scoring most, the better place among equals):
in any one race the rest can stay outside the points together. So

* a contender is **champion** when no rival, scoring most from here, gets ahead of their
  tally as it stands;
* a contender **can win** when, scoring most from here with everyone else outside the points,
  nobody is ahead of them;
* and for each place they may take in the next race, the places each rival may take there
  for them to be champion after it (``clinches``), or still able to win (``survives``), are
  worked out rival by rival: the conditions on different rivals are independent.

The field is taken to hold enough drivers out of contention to take every place the contenders do
not (at least the points places plus the contenders). Where a race has fewer entrants, a way listed
may be one no finishing order allows (more contenders outside the points than there are places
outside them), and a "can win" may rest on such a way; finite fields are not modelled yet.

The search is bounded: contenders who cannot reach the leader's points even scoring most
(pruned) are out and never a rival; the rest cost (places on the next race's scale + 1)² two-
competitor rankings per pair of contenders. Beyond ``MAX_RANKINGS`` of them the needs are
not worked out (``needs_decided`` is False); the statuses always are. Only competitors already
in the standings count: one who has not raced yet is not a contender.
"""

from collections import Counter
from dataclasses import dataclass, field

from .classification import PointsRule
from .standings import SHARED, ranks_ahead, standings

CHAMPION = "champion"
CAN_WIN = "can win"
OUT = "out"
NOT_DECIDED = "not decided"

MAX_RANKINGS = 200_000  # two-competitor rankings the needs of one title race may cost


@dataclass(frozen=True)
class RaceAhead:
    """A race still to run, in the order of the calendar."""

    name: str
    rule: PointsRule
    race: object = None


@dataclass(frozen=True)
class Tally:
    """A competitor's points and places (``{place: count}``) over the races run."""

    points: int = 0
    places: tuple = ()  # sorted (place, count) pairs

    def plus(self, rule, place):
        """The tally after ``place`` (None: outside the points) in a race under ``rule``."""
        if place is None:
            return self
        places = Counter(dict(self.places))
        if rule.awards_points:
            places[place] += 1
        return Tally(self.points + rule.for_position(place), tuple(sorted(places.items())))

    @property
    def record(self):
        """How many 1st, 2nd, 3rd, … places, as the standings count them for countback."""
        counts = dict(self.places)
        return tuple(counts.get(p, 0) for p in range(1, max(counts, default=0) + 1))


@dataclass(frozen=True)
class RivalPlaces:
    """The places of the next race a rival must not take for a need to hold (None: outside the points)."""

    competitor: object
    name: str
    excluded: tuple


@dataclass(frozen=True)
class Need:
    """The contender in one of ``places`` of the next race, and each rival named in ``rivals``
    in one of their allowed places; rivals not named may finish anywhere."""

    places: tuple
    rivals: tuple = ()


@dataclass(frozen=True)
class Outlook:
    """One contender's chances: the status, and the needs for the next race (best place first)."""

    competitor: object
    name: str
    position: int
    points: int
    most_points: int  # scoring most in every race left
    status: str
    clinches: tuple = ()  # Needs: champion after the next race
    survives: tuple = ()  # Needs: still able to win after the next race (where more races follow)


@dataclass(frozen=True)
class TitleRace:
    """The title race before ``races`` (the races left, in order)."""

    races: tuple
    outlooks: tuple = ()
    needs_decided: bool = True
    reason: str = ""  # why the statuses are not decided
    tie_break: str = SHARED
    champions: tuple = field(default=())

    @property
    def next_race(self):
        return self.races[0] if self.races else None

    @property
    def points_left(self):
        return sum(best_points(race.rule) for race in self.races)


def best_points(rule):
    return max((rule.for_position(p) for p in range(1, len(rule.scale) + 1)), default=0)


def best_place(rule):
    """The place scoring most (the better place among equals), None for a race without points."""
    places = range(1, len(rule.scale) + 1)
    return min(places, key=lambda p: (-rule.for_position(p), p)) if rule.awards_points else None


def options(rule):
    """Every place a contender may take: each place on the scale, then outside the points (None)."""
    return (*range(1, len(rule.scale) + 1), None)


def tallies(scores):
    """{competitor: (name, Tally)} over the races of ``scores``."""
    points, places, names = Counter(), {}, {}
    for score in scores:
        points[score.competitor] += score.points
        names.setdefault(score.competitor, score.name)
        counted = places.setdefault(score.competitor, Counter())
        if score.counts_places and score.position is not None:
            counted[score.position] += 1
    return {c: (names[c], Tally(points[c], tuple(sorted(places[c].items())))) for c in points}


def _ahead(first, second, tie_break):
    """Whether one tally ranks ahead of another, by the standings' rules."""
    return ranks_ahead(first.points, first.record, second.points, second.record, tie_break)


def after(tally, races, place_of):
    """A tally after ``races``, taking ``place_of(rule)`` in each."""
    for race in races:
        tally = tally.plus(race.rule, place_of(race.rule))
    return tally


def title_race(scores, races, *, tie_break=SHARED):
    """The title race after ``scores`` (the races run) with ``races`` (RaceAhead) still to run."""
    races = tuple(race for race in races if race.rule.awards_points)
    table = standings(list(scores), tie_break=tie_break)
    if not table:
        return TitleRace(races, tie_break=tie_break, reason="Nobody has raced yet.")
    counted = tallies(scores)
    leader = table[0].points
    left = sum(best_points(race.rule) for race in races)
    alive = [row.competitor for row in table if row.points + left >= leader]
    best = {c: after(counted[c][1], races, best_place) for c in alive}
    status = {}
    for c in alive:
        now = counted[c][1]
        rivals = [x for x in alive if x != c]
        if not any(_ahead(best[x], now, tie_break) for x in rivals):
            status[c] = CHAMPION
        elif any(_ahead(counted[x][1], best[c], tie_break) for x in rivals):
            status[c] = OUT
        else:
            status[c] = CAN_WIN
    places = len(races[0].rule.scale) + 1 if races else 0
    needs_decided = len(alive) ** 2 * places**2 * 2 <= MAX_RANKINGS
    needs = {}
    if needs_decided:
        for c in alive:
            if status[c] == CAN_WIN:
                needs[c] = _needs(c, alive, counted, races, tie_break)
    outlooks = tuple(
        Outlook(
            row.competitor,
            row.name,
            row.position,
            row.points,
            row.points + left,
            status.get(row.competitor, OUT),
            *needs.get(row.competitor, ((), ())),
        )
        for row in table
    )
    return TitleRace(
        races,
        outlooks,
        needs_decided=needs_decided,
        tie_break=tie_break,
        champions=tuple(o for o in outlooks if o.status == CHAMPION),
    )


def _needs(c, alive, counted, races, tie_break):
    """(clinches, survives): the Needs of ``c`` for the next race; any competitor not pruned may
    be a rival (one who cannot win may still finish ahead)."""
    first, later = races[0], races[1:]
    rivals = [x for x in alive if x != c]
    clinches, survives = [], []
    for place in options(first.rule):
        mine = counted[c][1].plus(first.rule, place)
        mine_best = after(mine, later, best_place)
        theirs = [q for q in options(first.rule) if q is None or q != place]
        clinch, survive = {}, {}
        for x in rivals:
            then = {q: counted[x][1].plus(first.rule, q) for q in theirs}
            clinch[x] = tuple(
                q for q in theirs if not _ahead(after(then[q], later, best_place), mine, tie_break)
            )
            if later:
                survive[x] = tuple(q for q in theirs if not _ahead(then[q], mine_best, tie_break))
        clinches.append(_need(place, clinch, theirs, counted))
        if later:
            survives.append(_need(place, survive, theirs, counted))
    return _merged(clinches), _merged(survives)


def _need(place, allowed, theirs, counted):
    if any(not places for places in allowed.values()):
        return None
    return Need(
        (place,),
        tuple(
            RivalPlaces(x, counted[x][0], tuple(q for q in theirs if q not in places))
            for x, places in allowed.items()
            if len(places) < len(theirs)
        ),
    )


def _merged(needs):
    """Needs of neighbouring places asking the same of the rivals, as one (3rd or 4th)."""
    merged = []
    for need in needs:
        if need is None:
            continue
        if merged and merged[-1].rivals == need.rivals and _next_to(merged[-1].places[-1], need.places[0]):
            merged[-1] = Need(merged[-1].places + need.places, need.rivals)
        else:
            merged.append(need)
    return tuple(merged)


def _next_to(place, following):
    return following is None or (place is not None and following == place + 1)


def holds(need, place, rival_places):
    """Whether the contender at ``place`` with rivals at ``rival_places`` ({rival: place}) meets ``need``."""
    excluded = {r.competitor: r.excluded for r in need.rivals}
    return place in need.places and all(q not in excluded.get(x, ()) for x, q in rival_places.items())
