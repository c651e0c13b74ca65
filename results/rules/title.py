"""Who can still win the championship, and what each contender needs in the next race.

Exact, not sampled: every answer holds for every finishing order of the races left. The ranking
is the standings' own (:func:`results.rules.standings.ranks_ahead`, shared or countback).

The field. Each race left has a number of entrants (``RaceAhead.field``; None: enough drivers
out of contention to take every place the contenders leave). Every entrant either takes a place
or is not classified (retired, disqualified, or absent), and the places taken are 1, 2, 3, … with
no gap: nobody is 3rd unless someone is 1st and 2nd. A contender takes a place on the race's
scale (1st, 2nd, … up to the scale's length or the field, whichever is smaller) or finishes
outside the points: classified beyond the points, or not classified (the only way in a field no
larger than the scale). Under ``shared`` outside the points counts no place. Under countback the
standings count every classified place (an 11th breaks a tie two records level on every place in
the points), so there each place of the field is a place of its own (11th, 12th, …) and None is not
classified; a field of None is then read as the scale's places and one more per competitor in the
standings (:meth:`RaceAhead.counting_every_place`). Two contenders never share a place,
and the other entrants (those out of contention, interchangeable) take the places the contenders
leave, as many as there are of them. So a finishing order of the contenders is possible when the
places on the scale above the lowest contender in the points that no contender takes are no more
than the entrants out of contention (:func:`possible`). Every competitor in the standings is taken to
be among the entrants where the field can hold them all; where it cannot, who enters is open, and
any place of the field may go to a driver out of contention.

Two at a time. A contender is first (alone or sharing) when nobody ranks ahead of them, and
whoever is to be ahead of a contender does best by scoring most in every race (the place scoring
most, the better place among equals) while the contender is not classified (no points, and no place
for countback). When, in every race left, the place scoring most can be taken with only entrants out
of contention ahead (always so where 1st scores most, since anyone may fail to finish), the rest can
stay unclassified together and two competitors at a time are enough:

* a contender is **champion** when no rival, scoring most from here, gets ahead of their
  tally as it stands;
* a contender **can win** when, scoring most from here with everyone else not classified,
  nobody is ahead of them;
* and for each place they may take in the next race, the places each rival may take there
  for them to be champion after it (``clinches``), or still able to win (``survives``), are
  worked out rival by rival: the conditions on different rivals are independent over every
  finishing order; a way no finishing order of the field allows is left out (a matching of the
  rivals to the places above the contender, :func:`_possible`).

Otherwise (a scale whose best place is not 1st, in a field too small for it) every finishing
order of the contenders the fields allow is searched, race by race, the entrants out of
contention as interchangeable fillers. A need is then the contender's place and, for each rival,
the places that rival may take; where the winning orders are not of that shape the needs are not
worked out (``needs_decided`` is False, ``needs_reason`` says why), and where the search would pass
``MAX_ORDERS`` neither are the statuses that the bounds below do not settle (``NOT_DECIDED``).

Both are bounded: contenders who cannot reach the leader's points even scoring most (pruned) are
out, never a rival, and count among the entrants out of contention; champion when no rival's best
gets ahead of what the contender has now, and out when a rival is already ahead of the contender's
best, hold in any field; two at a time, the rest cost
(places open in the next race + 1)² two-competitor rankings per pair of contenders, and beyond
``MAX_RANKINGS`` of them the needs are not worked out (the statuses always are). Only competitors
already in the standings count: one who has not raced yet is not a contender.

One place per competitor in a race. A competitor is taken to have one entry in each race (a driver,
a team's one car, a nation's one driver). Where a team or nation had more than one entry in a race
run, it could take several places of a race left, which these maths do not model: the title race
is then not worked out (``reason`` says why) rather than worked out wrong.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from .classification import PointsRule
from .standings import COUNTBACK, SHARED, ranks_ahead, standings

CHAMPION = "champion"
CAN_WIN = "can win"
OUT = "out"
NOT_DECIDED = "not decided"

MAX_RANKINGS = 1_000_000  # two-competitor rankings the needs of one title race may cost
MAX_ORDERS = 200_000  # finishing orders of the contenders the search over a small field may visit

TOO_MANY_CONTENDERS = "too many contenders"
TOO_MANY_ORDERS = "too many finishing orders in a small field"
NOT_PLACES_PER_RIVAL = "the ways cannot be put as a place and the places each rival may take"


@dataclass(frozen=True)
class RaceAhead:
    """A race still to run, in the order of the calendar, with its field (None: large enough)."""

    name: str
    rule: PointsRule
    race: object = None
    field: int | None = None  # how many entrants
    every_place: bool = False  # each classified place counts on its own (countback), not only the scale's

    @property
    def open_places(self):
        """The places someone can take that count on their own: those on the scale up to its length
        or the field, or every place of the field where each place counts (``every_place``)."""
        length = len(self.rule.scale)
        if self.every_place:
            return range(1, self.field + 1)
        return range(1, (length if self.field is None else min(length, self.field)) + 1)

    @property
    def outside_may_be_classified(self):
        """Whether "outside the points" (None) may be a classified place that scores nothing; else
        None means not classified."""
        return not self.every_place and (self.field is None or self.field > len(self.rule.scale))

    def counting_every_place(self, competitors):
        """This race where places beyond the points count on their own (countback): every place of
        the field, a field of None read as the scale's places and one more per competitor."""
        length = len(self.rule.scale)
        if self.field is not None and self.field <= length:
            return self  # every place of the field is on the scale already
        field = self.field if self.field is not None else length + competitors
        return replace(self, field=field, every_place=True)


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

    @cached_property
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
    searched: bool = False  # worked out by the search over every finishing order (a small field)
    needs_reason: str = ""  # why the needs are not worked out

    @property
    def next_race(self):
        return self.races[0] if self.races else None

    @property
    def points_left(self):
        return sum(best_points(race) for race in self.races)


def best_points(race):
    """The most one competitor can score in ``race``: the best place its field reaches."""
    return max((race.rule.for_position(p) for p in race.open_places), default=0)


@cache
def best_place(rule):
    """The place scoring most (the better place among equals), None for a race without points."""
    places = range(1, len(rule.scale) + 1)
    return min(places, key=lambda p: (-rule.for_position(p), p)) if rule.awards_points else None


def options(race):
    """Every place a contender may take: each place that counts on its own (``open_places``), then
    None (outside the points, or not classified where every place counts)."""
    return (*race.open_places, None)


def spare(race, contenders, competitors):
    """How many entrants out of contention ``race`` has beside ``contenders`` (None: enough for any
    order). Where the field cannot hold every one of the ``competitors`` in the standings, who enters
    is open: any place of the field may go to someone out of contention."""
    if race.field is None:
        return None
    return race.field if competitors > race.field else race.field - contenders


def possible(race, places, contenders, competitors):
    """Whether ``places`` (a place of each of ``contenders`` contenders, None outside the points, no two
    alike) is a finishing order the race's field allows: the places above the lowest contender in
    the points that no contender takes go to entrants out of contention."""
    if race.field is None:
        return True
    taken = [p for p in places if p is not None]
    top = max(taken, default=0)
    return top <= race.field and top - len(taken) <= spare(race, contenders, competitors)


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


def several_entries(scores):
    """The name of a competitor with more than one entry in one race (a team's two cars, a nation's two
    drivers), or "" where each competitor had one entry in each race."""
    entries = Counter((score.race, score.competitor) for score in scores)
    return next((score.name for score in scores if entries[score.race, score.competitor] > 1), "")


def _ahead(first, second, tie_break):
    """Whether one tally ranks ahead of another, by the standings' rules."""
    return ranks_ahead(first.points, first.record, second.points, second.record, tie_break)


def after(tally, races, place_of):
    """A tally after ``races``, taking ``place_of(rule)`` in each."""
    for race in races:
        tally = tally.plus(race.rule, place_of(race.rule))
    return tally


def two_at_a_time(races, contenders, competitors):
    """Whether two competitors at a time give the exact answer: in every race the place scoring
    most can be taken with only entrants out of contention ahead of it."""
    return all(
        race.field is None
        or (
            best_place(race.rule) in race.open_places
            and best_place(race.rule) - 1 <= spare(race, contenders, competitors)
        )
        for race in races
    )


def title_race(scores, races, *, tie_break=SHARED):
    """The title race after ``scores`` (the races run) with ``races`` (RaceAhead) still to run."""
    races = tuple(race for race in races if race.rule.awards_points)
    table = standings(list(scores), tie_break=tie_break)
    if not table:
        return TitleRace(races, tie_break=tie_break, reason="Nobody has raced yet.")
    several = several_entries(scores)
    if races and several:
        reason = (
            f"{several} had more than one entry in a race, and the title maths give each competitor one "
            "place in a race, so who can still win is not worked out."
        )
        return TitleRace(races, tie_break=tie_break, reason=reason)
    if tie_break == COUNTBACK:  # an 11th place may break a tie, so it is a place of its own
        races = tuple(race.counting_every_place(len(table)) for race in races)
    counted = tallies(scores)
    leader = table[0].points
    left = sum(best_points(race) for race in races)
    alive = [row.competitor for row in table if row.points + left >= leader]
    best = {c: after(counted[c][1], races, best_place) for c in alive}
    status = {}
    for c in alive:
        now = counted[c][1]
        rivals = [x for x in alive if x != c]
        if not any(_ahead(best[x], now, tie_break) for x in rivals):
            status[c] = CHAMPION  # sound in any field: nobody's best reaches what c has now
        elif any(_ahead(counted[x][1], best[c], tie_break) for x in rivals):
            status[c] = OUT  # sound in any field: c's best does not reach what a rival has now
        else:
            status[c] = CAN_WIN
    needs = {}
    count = (len(alive), len(table))  # contenders, competitors in the standings
    searched = not two_at_a_time(races, *count)
    if searched:
        needs_reason = _search(alive, counted, races, tie_break, status, needs, len(table))
    else:
        places = len(races[0].open_places) + 1 if races else 0
        needs_reason = "" if len(alive) ** 2 * places**2 * 2 <= MAX_RANKINGS else TOO_MANY_CONTENDERS
        if not needs_reason:
            ahead = _after_next(alive, counted, races) if CAN_WIN in status.values() else None
            for c in alive:
                if status[c] == CAN_WIN:
                    needs[c] = _needs(c, alive, counted, races, tie_break, len(table), ahead)
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
        needs_decided=not needs_reason,
        tie_break=tie_break,
        champions=tuple(o for o in outlooks if o.status == CHAMPION),
        searched=searched,
        needs_reason=needs_reason,
    )


def _after_next(alive, counted, races):
    """({competitor: {place: tally}}, the same scoring most in the races after): each competitor's
    tally after each place they may take in the next race, worked out once for every contender's needs."""
    first, later = races[0], races[1:]
    then = {x: {q: counted[x][1].plus(first.rule, q) for q in options(first)} for x in alive}
    return then, {x: {q: after(tally, later, best_place) for q, tally in then[x].items()} for x in alive}


def _needs(c, alive, counted, races, tie_break, competitors, ahead):
    """(clinches, survives): the Needs of ``c`` for the next race; any competitor not pruned may
    be a rival (one who cannot win may still finish ahead). ``ahead``: :func:`_after_next`."""
    first, later = races[0], races[1:]
    rivals = [x for x in alive if x != c]
    then, then_best = ahead
    clinches, survives = [], []
    for place in options(first):
        mine = counted[c][1].plus(first.rule, place)
        mine_best = after(mine, later, best_place)
        theirs = [q for q in options(first) if q is None or q != place]
        clinch, survive = {}, {}
        for x in rivals:
            clinch[x] = tuple(q for q in theirs if not _ahead(then_best[x][q], mine, tie_break))
            if later:
                survive[x] = tuple(q for q in theirs if not _ahead(then[x][q], mine_best, tie_break))
        clinches.append(_need(first, place, clinch, theirs, counted, (len(alive), competitors)))
        if later:
            survives.append(_need(first, place, survive, theirs, counted, (len(alive), competitors)))
    return _merged(clinches), _merged(survives)


def _need(race, place, allowed, theirs, counted, count):
    if not _possible(race, place, allowed, *count):
        return None
    return Need(
        (place,),
        tuple(
            RivalPlaces(x, counted[x][0], tuple(q for q in theirs if q not in places))
            for x, places in allowed.items()
            if len(places) < len(theirs)
        ),
    )


def _possible(race, place, allowed, contenders, competitors):
    """Whether some finishing order the field allows has the contender at ``place`` and each rival
    in one of its ``allowed`` places ({rival: places}, None for outside the points).

    For each lowest place in the points ``top`` a contender may take, the rivals are matched to
    the free places down to it (augmenting paths; a rival who may not finish outside the points
    must get one); the places left over go to entrants out of contention, if there are enough.
    """
    if any(not places for places in allowed.values()):
        return False
    if race.field is None:
        return True
    rivals = sorted(allowed.values(), key=lambda places: None in places)  # who must place first
    for top in range(place or 0, len(race.open_places) + 1):
        free = {p for p in range(1, top + 1) if p != place}
        matched = _matched(rivals, free)
        if matched is not None and len(free) - matched <= spare(race, contenders, competitors):
            return True
    return False


def _matched(rivals, free):
    """The most rivals placed in ``free`` places, each in one of their own, or None when a rival
    who may not finish outside the points finds no place (they come first in ``rivals``)."""
    holder = {}

    def placed(index, seen):
        for place in rivals[index]:
            if place in free and place not in seen:
                seen.add(place)
                if place not in holder or placed(holder[place], seen):
                    holder[place] = index
                    return True
        return False

    for index, places in enumerate(rivals):
        if not placed(index, set()) and None not in places:
            return None
    return len(holder)


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


# --- The search over a small field -----------------------------------------------------------------


class _TooMany(Exception):
    """The search would pass MAX_ORDERS."""


def orders(race, contenders, competitors):
    """Every finishing order of ``contenders`` contenders the race's field allows: a tuple of their
    places (None: outside the points), no two alike; raises _TooMany beyond MAX_ORDERS."""
    places = options(race)
    count, ways = 0, 1
    for taken in range(min(contenders, len(race.open_places)) + 1):
        count += ways
        ways = ways * (contenders - taken) * (len(race.open_places) - taken) // (taken + 1)
    if count > MAX_ORDERS:
        raise _TooMany
    found = []

    def walk(chosen):
        if len(chosen) == contenders:
            if possible(race, chosen, contenders, competitors):
                found.append(chosen)
            return
        for place in places:
            if place is None or place not in chosen:
                walk((*chosen, place))

    walk(())
    return found


def _search(alive, counted, races, tie_break, status, needs, competitors):
    """Statuses (into ``status``) and needs (into ``needs``) by a search over every finishing order
    of the contenders the fields allow, race by race, the same tallies met once. Returns why the
    needs are not worked out ("" where they are); beyond MAX_ORDERS the statuses the two-at-a-time
    bounds did not settle (champion, out) are NOT_DECIDED."""
    count = len(alive)
    memo, work = {}, [0]

    def first(state):
        return frozenset(i for i, t in enumerate(state) if not any(_ahead(o, t, tie_break) for o in state))

    def walk(index, state):
        if index == len(races):
            top = first(state)
            return top, top
        if (index, state) not in memo:
            work[0] += len(per_race[index])
            if work[0] > MAX_ORDERS:
                raise _TooMany
            always, sometimes = frozenset(range(count)), frozenset()
            for order in per_race[index]:
                a, s = walk(index + 1, _plus(state, races[index].rule, order))
                always, sometimes = always & a, sometimes | s
            memo[index, state] = (always, sometimes)
        return memo[index, state]

    start = tuple(counted[c][1] for c in alive)
    try:
        per_race = [orders(race, count, competitors) for race in races]
        always, sometimes = walk(0, start)
        after_first = [(order, walk(1, _plus(start, races[0].rule, order))) for order in per_race[0]]
    except _TooMany:
        for c in alive:
            if status[c] == CAN_WIN:
                status[c] = NOT_DECIDED
        return TOO_MANY_ORDERS
    for i, c in enumerate(alive):
        status[c] = CHAMPION if i in always else CAN_WIN if i in sometimes else OUT
    decided = True
    for i, c in enumerate(alive):
        if status[c] != CAN_WIN:
            continue
        clinches = _shaped(i, after_first, 0, alive, counted, races[0])
        survives = _shaped(i, after_first, 1, alive, counted, races[0]) if len(races) > 1 else ()
        if clinches is None or survives is None:
            decided = False
        else:
            needs[c] = (clinches, survives)
    if not decided:
        needs.clear()
        return NOT_PLACES_PER_RIVAL
    return ""


def _plus(state, rule, order):
    return tuple(tally.plus(rule, place) for tally, place in zip(state, order, strict=True))


def _shaped(i, after_first, which, alive, counted, race):
    """The Needs of contender ``i`` from the orders of the next race where they are champion
    (``which`` 0) or can still win (1) after it; None where those orders are not one place of
    theirs and a set of places for each rival."""
    found = []
    for place in options(race):
        mine = [order for order, _ in after_first if order[i] == place]
        good = [order for order, firsts in after_first if order[i] == place and i in firsts[which]]
        if not good:
            continue
        rivals = [j for j in range(len(alive)) if j != i]
        allowed = {j: {order[j] for order in good} for j in rivals}
        if sum(all(order[j] in allowed[j] for j in rivals) for order in mine) != len(good):
            return None
        named = []
        for j in rivals:
            seen = {order[j] for order in mine}
            excluded = tuple(q for q in options(race) if q in seen and q not in allowed[j])
            if excluded:
                named.append(RivalPlaces(alive[j], counted[alive[j]][0], excluded))
        found.append(Need((place,), tuple(named)))
    return _merged(found)
