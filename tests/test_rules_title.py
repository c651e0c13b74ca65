"""Title maths: the exact answer equals brute force over every finishing order of the races left."""

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from results.rules.classification import PointsRule
from results.rules.standings import COUNTBACK, SHARED, Score, ranks_ahead, standings
from results.rules.title import CAN_WIN, CHAMPION, NOT_DECIDED, OUT, RaceAhead, holds, title_race


def past(points_and_places, names=None):
    """Scores of one past round: {competitor: [(place, points), …]}."""
    scores = []
    for number, (competitor, finishes) in enumerate(points_and_places.items()):
        for race, (place, points) in enumerate(finishes, start=1):
            name = (names or {}).get(competitor, competitor)
            scores.append(Score(1, race, competitor, name, place, points, race_number=race))
        if not finishes:
            scores.append(Score(1, 1, competitor, competitor, None, 0, race_number=number))
    return scores


def race_outcomes(contenders, rule):
    """Every way the contenders may finish one race: {contender: place or None (outside the points)},
    no two in one place, the other places taken by drivers out of contention."""
    slots = [None, *contenders]
    for taken in itertools.product(slots, repeat=len(rule.scale)):
        named = [c for c in taken if c is not None]
        if len(named) == len(set(named)):
            placed = {c: place for place, c in enumerate(taken, start=1) if c is not None}
            yield {c: placed.get(c) for c in contenders}


def field_outcomes(contenders, rule, field, every_place=False):
    """Every way the contenders may finish one race of ``field`` entrants, from every finishing order
    of every entrant: the first k entrants classified 1st to kth (k from none to all), the rest not
    classified; the entrants beyond the contenders are drivers out of contention. A contender not
    classified, or classified beyond the scale where only the scale's places count (``every_place``
    False, as under ``shared``), is outside the points (None)."""
    if field >= len(contenders):  # every competitor in the standings enters
        fields = [(tuple(contenders), field - len(contenders))]
    else:  # who enters is open: any of them, the other places to drivers out of contention
        fields = [
            (chosen, field - count)
            for count in range(field + 1)
            for chosen in itertools.combinations(contenders, count)
        ]
    seen = set()
    for entrants, others in fields:
        for order in finishing_orders(entrants, others):
            places = {
                who: place
                for place, who in enumerate(order, start=1)
                if who is not None and (every_place or place <= len(rule.scale))
            }
            seen.add(tuple(places.get(c) for c in contenders))
    return [dict(zip(contenders, places, strict=True)) for places in sorted(seen, key=str)]


def finishing_orders(entrants, others):
    """Every finishing order of ``entrants`` and ``others`` drivers out of contention (None, alike):
    the classified in order, from nobody to everyone."""
    yield ()
    for index, who in enumerate(entrants):
        for rest in finishing_orders(entrants[:index] + entrants[index + 1 :], others):
            yield (who, *rest)
    if others:
        for rest in finishing_orders(entrants, others - 1):
            yield (None, *rest)


class BruteForce:
    """Every completion of the races left, ranked by the standings themselves."""

    def __init__(self, scores, races, tie_break):
        self.scores, self.races, self.tie_break = list(scores), races, tie_break
        self.contenders = sorted({s.competitor for s in self.scores})
        self.names = {s.competitor: s.name for s in self.scores}
        self.ranked = {}
        self.orders = {}
        self.memo = {}  # (races left, state): (always first, sometimes first)
        self.past = {row.competitor: row for row in standings(self.scores, tie_break=tie_break)}

    def first(self, state):
        """The contenders in first place (alone or sharing) once the races left have added ``state``
        (each contender's future points and the multiset of their future places): nobody ranks
        ahead of them by the standings' comparison, on the standings' own past points and places."""
        if state not in self.ranked:
            totals = {
                c: self.total(c, points, places)
                for c, (points, places) in zip(self.contenders, state, strict=True)
            }
            self.ranked[state] = {
                c
                for c, mine in totals.items()
                if not any(
                    ranks_ahead(*other, *mine, self.tie_break) for o, other in totals.items() if o != c
                )
            }
        return self.ranked[state]

    def total(self, competitor, points, places):
        """(points, record) after the past and ``points`` and ``places`` to come."""
        past = self.past[competitor]
        counts = Counter({place: n for place, n in enumerate(past.places, start=1) if n}) + Counter(places)
        return past.points + points, tuple(counts[p] for p in range(1, max(counts, default=0) + 1))

    def states(self, races, start):
        states = {start}
        for race in races:
            states = {
                self.plus(state, race.rule, outcome) for state in states for outcome in self.outcomes(race)
            }
        return states

    def outcomes(self, race):
        """Under countback every classified place counts, so each is its own outcome; a field of None
        is then the scale's places and one more per competitor."""
        field, every_place = race.field, self.tie_break == COUNTBACK
        if every_place and field is None:
            field = len(race.rule.scale) + len(self.contenders)
        if field is None:
            return list(race_outcomes(self.contenders, race.rule))
        key = (race.rule, field, every_place)
        if key not in self.orders:
            self.orders[key] = field_outcomes(self.contenders, race.rule, field, every_place)
        return self.orders[key]

    def plus(self, state, rule, outcome):
        """A state after one race: points added, places counted where the race awards points (and
        the tie-break reads them: equal points share a place under ``shared``)."""
        counts = rule.awards_points and self.tie_break == COUNTBACK
        return tuple(
            (points + rule.for_position(outcome[c]), tuple(sorted((*places, outcome[c]))))
            if outcome[c] is not None and counts
            else (points + rule.for_position(outcome[c]), places)
            for c, (points, places) in zip(self.contenders, state, strict=True)
        )

    def start(self):
        return tuple((0, ()) for _ in self.contenders)

    def firsts(self, races, start):
        """(always first, sometimes first): the contenders first in every completion, in some."""
        memo = self.memo

        def walk(index, state):
            if index == len(races):
                first = self.first(state)
                return first, first
            key = (tuple(races[index:]), state)
            if key not in memo:
                always, sometimes = set(self.contenders), set()
                for outcome in self.outcomes(races[index]):
                    a, s = walk(index + 1, self.plus(state, races[index].rule, outcome))
                    always &= a
                    sometimes |= s
                memo[key] = (frozenset(always), frozenset(sometimes))
            return memo[key]

        return walk(0, start)


def check_against_brute_force(scores, races, tie_break):
    answer = title_race(scores, races, tie_break=tie_break)
    brute = BruteForce(scores, races, tie_break)
    always, sometimes = brute.firsts(races, brute.start())
    by_competitor = {o.competitor: o for o in answer.outlooks}
    for c in brute.contenders:
        expected = CHAMPION if c in always else CAN_WIN if c in sometimes else OUT
        if by_competitor[c].status == NOT_DECIDED:  # the search gave up: only where it may
            assert answer.searched and not answer.needs_decided and expected == CAN_WIN
            continue
        assert by_competitor[c].status == expected, (c, by_competitor[c], races)
    races = answer.races  # the races that award points: the next race is the next of those
    if not races or not answer.needs_decided:
        return answer
    first, later = races[0], races[1:]
    met = set()  # (contender, clinches or survives, need index, place) met by some finishing order
    for outcome in brute.outcomes(first):
        always, sometimes = brute.firsts(later, brute.plus(brute.start(), first.rule, outcome))
        for c, outlook in by_competitor.items():
            rivals = {x: q for x, q in outcome.items() if x != c}
            for kind, needs in (("clinches", outlook.clinches), ("survives", outlook.survives)):
                met |= {
                    (c, kind, n, outcome[c])
                    for n, need in enumerate(needs)
                    if holds(need, outcome[c], rivals)
                }
            is_champion = c in always
            if outlook.status == CAN_WIN:
                said = any(holds(need, outcome[c], rivals) for need in outlook.clinches)
                assert said == is_champion, (c, outcome, outlook.clinches)
                if later:
                    can_win = c in sometimes
                    said = any(holds(need, outcome[c], rivals) for need in outlook.survives)
                    assert said == can_win, (c, outcome, outlook.survives)
            else:
                assert is_champion == (outlook.status == CHAMPION)
    for c, outlook in by_competitor.items():  # every way listed happens in some finishing order
        for kind, needs in (("clinches", outlook.clinches), ("survives", outlook.survives)):
            for n, need in enumerate(needs):
                for place in need.places:
                    assert (c, kind, n, place) in met, (c, kind, need, place, "no finishing order")
    return answer


# --- Fixed cases -----------------------------------------------------------------------------------


def test_a_leader_out_of_reach_is_champion_and_the_rest_are_out():
    scores = past({"A": [(1, 10)], "B": [(2, 6)], "C": [(3, 4)]})
    answer = check_against_brute_force(scores, [RaceAhead("Final", PointsRule((3, 2, 1)))], SHARED)
    assert [(o.name, o.status) for o in answer.outlooks] == [("A", CHAMPION), ("B", OUT), ("C", OUT)]


def test_the_last_race_says_which_place_is_enough_and_what_rivals_must_not_do():
    scores = past({"A": [(1, 5)], "B": [(2, 4)], "C": [(3, 3)]})
    answer = check_against_brute_force(scores, [RaceAhead("Final", PointsRule((3, 2, 1)))], SHARED)
    a = answer.outlooks[0]
    assert a.status == CAN_WIN
    # 1st or 2nd is enough (B 1st: 7 to A's 7, a shared first place); 3rd (6) if B is not 1st
    # (C 1st ties on 6); outside the points (5) if B is 3rd or lower and C not 1st (ties share)
    assert [(n.places, {(r.name, r.excluded) for r in n.rivals}) for n in a.clinches] == [
        ((1, 2), set()),
        ((3,), {("B", (1,))}),
        ((None,), {("B", (1, 2)), ("C", (1,))}),
    ]


def test_countback_breaks_the_tie_a_shared_table_would_leave():
    scores = past({"A": [(1, 3)], "B": [(2, 3)]})  # B's 3 points set by the stewards
    final = [RaceAhead("Final", PointsRule((1,)))]
    shared = check_against_brute_force(scores, final, SHARED)
    countback = check_against_brute_force(scores, final, COUNTBACK)
    assert [o.status for o in shared.outlooks] == [CAN_WIN, CAN_WIN]
    assert [o.status for o in countback.outlooks] == [CAN_WIN, CAN_WIN]
    b_shared = next(o for o in shared.outlooks if o.name == "B")
    b_countback = next(o for o in countback.outlooks if o.name == "B")
    # both outside the points: level on 3, the title shared, or A's on countback (A has a win)
    assert any(holds(n, None, {"A": None}) for n in b_shared.clinches)
    assert not any(holds(n, None, {"A": None}) for n in b_countback.clinches)


def test_under_countback_a_place_beyond_the_points_breaks_a_tie():
    # level on a point, a win and a 2nd each; only 1st scores in the Final, in a field of four
    scores = past({"A": [(1, 1), (2, 0)], "B": [(2, 0), (1, 1)]})
    final = [RaceAhead("Final", PointsRule((1,)), field=4)]

    def ways(answer, name):
        outlook = next(o for o in answer.outlooks if o.name == name)
        return [(n.places, {(r.name, r.excluded) for r in n.rivals}) for n in outlook.clinches]

    shared = check_against_brute_force(scores, final, SHARED)
    countback = check_against_brute_force(scores, final, COUNTBACK)
    # shared: nobody else winning leaves them level, wherever they are classified
    assert ways(shared, "A") == [((1,), set()), ((None,), {("B", (1,))})]
    # countback: A 3rd is ahead of B 4th or not classified (a 3rd place to none), and behind B 2nd;
    # A 4th would need three ahead and only two others enter: B would be among them
    assert ways(countback, "A") == [
        ((1,), set()),
        ((2,), {("B", (1,))}),
        ((3,), {("B", (1, 2))}),
        ((None,), {("B", (1, 2, 3, 4))}),
    ]
    assert countback.races[0].open_places == range(1, 5)
    assert not countback.races[0].outside_may_be_classified  # None is then not classified


def test_nobody_ahead_and_no_race_left_is_champion_and_equals_share_it():
    scores = past({"A": [(1, 5)], "B": [(2, 5)], "C": [(3, 1)]})
    answer = check_against_brute_force(scores, [], SHARED)
    assert [o.status for o in answer.outlooks] == [CHAMPION, CHAMPION, OUT]


def test_contenders_who_cannot_reach_the_leader_are_out_without_a_search():
    scores = past({"A": [(1, 30)], "B": [(2, 20)], "C": [(3, 5)]})
    answer = check_against_brute_force(scores, [RaceAhead("Final", PointsRule((12, 10, 8)))], SHARED)
    c = next(o for o in answer.outlooks if o.name == "C")
    assert (c.status, c.most_points, c.clinches) == (OUT, 17, ())


SIX = ("A", "B", "C", "D", "E", "F")


def test_four_races_and_six_contenders_equal_brute_force():
    one, two = PointsRule((1,)), PointsRule((2, 1))
    for tie_break, points, scales in (
        (SHARED, (9, 8, 8, 7, 4, 2), (two, one, one, PointsRule((2, 1), 2))),
        (SHARED, (6, 6, 5, 5, 5, 0), (one, one, one, PointsRule((1,), 2))),
    ):  # under countback a field of None holds 7 places of their own here: see the small fields
        scores = past({c: [(place, p)] for place, (c, p) in enumerate(zip(SIX, points, strict=True), 1)})
        races = [RaceAhead(f"Race {n}", rule) for n, rule in enumerate(scales, 1)]
        answer = check_against_brute_force(scores, races, tie_break)
        assert CAN_WIN in {o.status for o in answer.outlooks}


# --- Property tests --------------------------------------------------------------------------------


@st.composite
def title_races(draw):
    tie_break = draw(st.sampled_from([SHARED, COUNTBACK]))
    if tie_break == COUNTBACK:  # every place counts: the scale's and one more per contender, brute-forced
        contenders = draw(st.integers(2, 4))
        race_count = draw(st.integers(1, 5 - contenders))
        scale_length = draw(st.integers(1, 2))
    else:
        contenders = draw(st.integers(2, 5))
        race_count = draw(st.integers(1, 3))
        scale_length = draw(st.integers(1, 3 if race_count < 3 and contenders < 5 else 2))
    races = [
        RaceAhead(
            f"Race {n}",
            PointsRule(
                tuple(draw(st.lists(st.integers(0, 6), min_size=scale_length, max_size=scale_length))),
                draw(st.integers(1, 2)),
            ),
        )
        for n in range(1, race_count + 1)
    ]
    finishes = st.tuples(st.integers(1, 6), st.integers(0, 12))  # a past place and its points
    scores = past({name: draw(st.lists(finishes, min_size=1, max_size=2)) for name in "ABCDE"[:contenders]})
    if race_count == 3 and contenders == 5:
        races = races[:2]
    return scores, races, tie_break


@settings(max_examples=200, deadline=None)
@given(title_races())
def test_the_exact_answer_equals_brute_force(case):
    scores, races, tie_break = case
    check_against_brute_force(scores, races, tie_break)


def test_brute_force_counts_every_finishing_order():
    outcomes = list(race_outcomes(["A", "B", "C"], PointsRule((2, 1))))
    # nobody, or one of three, in 1st; then nobody or another in 2nd
    assert len(outcomes) == 4 * 4 - 3
    assert Counter(o["A"] for o in outcomes) == Counter({None: 7, 1: 3, 2: 3})


def test_brute_force_ranks_as_the_standings_do():
    scores = past({"A": [(1, 2), (5, 0)], "B": [(2, 1), (1, 2)], "C": [(3, 0), (2, 1)]})
    for tie_break in (SHARED, COUNTBACK):
        brute = BruteForce(scores, [], tie_break)
        for state in (
            ((0, ()), (0, ()), (0, ())),
            ((1, (1, 4)), (0, (4,)), (2, (1,))),
            ((0, (5,)), (0, (6,)), (0, ())),
        ):
            future = []
            for c, (points, places) in zip(brute.contenders, state, strict=True):
                future.append(Score(99, "future", c, c, None, points, counts_places=False))
                future += [Score(99, "future", c, c, place, 0) for place in places]
            table = standings(scores + future, tie_break=tie_break)
            assert brute.first(state) == {row.competitor for row in table if row.position == 1}, (
                tie_break,
                state,
            )


def test_too_many_contenders_leave_the_needs_not_worked_out_but_never_the_statuses():
    scores = past({f"D{n:02}": [(n, 0)] for n in range(1, 81)})
    answer = title_race(scores, [RaceAhead("Final", PointsRule(tuple(range(10, 0, -1))))], tie_break=SHARED)
    assert not answer.needs_decided
    assert {o.status for o in answer.outlooks} == {CAN_WIN}
    assert all(o.clinches == () for o in answer.outlooks)


# --- A finite field --------------------------------------------------------------------------------


def in_field(races, field):
    return [RaceAhead(race.name, race.rule, field=field) for race in races]


def test_brute_force_in_a_field_counts_every_finishing_order_of_every_entrant():
    # two contenders and one other entrant, a 2-place scale: either contender 1st, 2nd or outside
    # (3rd or not classified), but never 2nd with nobody 1st, nor both outside with the other 2nd
    outcomes = field_outcomes(["A", "B"], PointsRule((2, 1)), 3)
    assert {(o["A"], o["B"]) for o in outcomes} == {
        (None, None),
        (1, None),
        (None, 1),
        (1, 2),
        (2, 1),
        (2, None),
        (None, 2),
    }
    two = field_outcomes(["A", "B"], PointsRule((2, 1)), 2)  # nobody else: 2nd means the other is 1st
    assert {(o["A"], o["B"]) for o in two} == {(None, None), (1, None), (None, 1), (1, 2), (2, 1)}


def test_in_a_field_of_the_contenders_alone_a_way_nobody_can_fill_the_places_above_is_left_out():
    scores = past({"A": [(1, 5)], "B": [(2, 4)], "C": [(3, 3)]})
    final = [RaceAhead("Final", PointsRule((3, 2, 1)))]

    def ways(answer, name):
        outlook = next(o for o in answer.outlooks if o.name == name)
        return [(n.places, {(r.name, r.excluded) for r in n.rivals}) for n in outlook.clinches]

    wide = check_against_brute_force(scores, final, SHARED)
    alone = check_against_brute_force(scores, in_field(final, 3), SHARED)
    # C 2nd (5) is enough with A neither 1st nor 3rd and B not 1st: with a fourth entrant to win
    assert ways(wide, "C") == [((1,), {("A", (2,))}), ((2,), {("A", (1, 3)), ("B", (1,))})]
    # among the three alone someone of A and B must be 1st: C needs to win
    assert ways(alone, "C") == [((1,), {("A", (2,))})]
    # likewise B 3rd needs A outside the points and C not 1st: nobody would be 1st
    assert ways(wide, "B")[-1] == ((3,), {("A", (1, 2)), ("C", (1,))})
    assert ways(alone, "B") == [((1,), set()), ((2,), {("A", (1,))})]
    assert ways(check_against_brute_force(scores, in_field(final, 4), SHARED), "B") == ways(wide, "B")


def test_four_races_and_six_contenders_in_small_fields_equal_brute_force():
    one, two = PointsRule((1,)), PointsRule((2, 1))
    for field, tie_break, points, scales in (
        (6, SHARED, (9, 8, 8, 7, 4, 2), (two, one, one, PointsRule((2, 1), 2))),
        (7, SHARED, (6, 6, 5, 5, 5, 0), (one, one, two, PointsRule((1,), 2))),
        # countback: with six in the standings and two entrants, the 2nd place scores nothing and counts
        (2, COUNTBACK, (9, 8, 8, 7, 4, 2), (one, one, one, PointsRule((1,), 2))),
        (2, COUNTBACK, (3, 3, 2, 2, 2, 1), (one, one, one, PointsRule((1,), 2))),
    ):
        scores = past({c: [(place, p)] for place, (c, p) in enumerate(zip(SIX, points, strict=True), 1)})
        races = [RaceAhead(f"Race {n}", rule, field=field) for n, rule in enumerate(scales, 1)]
        answer = check_against_brute_force(scores, races, tie_break)
        assert CAN_WIN in {o.status for o in answer.outlooks}


def test_a_scale_whose_best_place_is_not_first_in_a_small_field_is_searched():
    # 2nd scores most, but in a field of the two contenders alone 2nd means the other is 1st
    scores = past({"A": [(1, 3)], "B": [(2, 2)]})
    final = [RaceAhead("Final", PointsRule((1, 3)), field=2)]
    answer = check_against_brute_force(scores, final, SHARED)
    assert answer.searched
    # B 2nd (5) puts A 1st (4): B champion; B 1st (3) or out leaves A ahead
    b = next(o for o in answer.outlooks if o.name == "B")
    assert b.status == CAN_WIN
    assert [(n.places, {(r.name, r.excluded) for r in n.rivals}) for n in b.clinches] == [
        ((1,), {("A", (2,))}),  # B 1st (3), A not classified (3): shared
        ((2,), set()),  # B 2nd (5), A then 1st (4)
    ]
    wide = check_against_brute_force(scores, in_field(final, 3), SHARED)
    assert not wide.searched  # a third entrant may take 1st


@st.composite
def title_races_in_a_field(draw):
    tie_break = draw(st.sampled_from([SHARED, COUNTBACK]))
    countback = tie_break == COUNTBACK  # every place of the field counts on its own
    contenders = draw(st.integers(2, 4 if countback else 5))
    field = draw(st.integers(max(contenders - 2, 1), min(contenders + 2, 5 if countback else 7)))
    race_count = draw(st.integers(1, (5 - contenders) if countback else 3 if contenders <= 3 else 2))
    longest = {1: 5, 2: 3, 3: 2}[race_count] if contenders <= 4 else 2
    scale_length = draw(st.integers(1, longest))  # fewer or more places than entrants
    races = [
        RaceAhead(
            f"Race {n}",
            PointsRule(
                tuple(draw(st.lists(st.integers(0, 6), min_size=scale_length, max_size=scale_length))),
                draw(st.integers(1, 2)),
            ),
            field=field,
        )
        for n in range(1, race_count + 1)
    ]
    finishes = st.tuples(st.integers(1, 6), st.integers(0, 12))
    scores = past({name: draw(st.lists(finishes, min_size=1, max_size=2)) for name in "ABCDE"[:contenders]})
    return scores, races, tie_break


@settings(max_examples=200, deadline=None)
@given(title_races_in_a_field())
def test_the_exact_answer_in_a_finite_field_equals_brute_force(case):
    scores, races, tie_break = case
    check_against_brute_force(scores, races, tie_break)


def test_beyond_its_bound_the_search_leaves_unsettled_statuses_not_decided(monkeypatch):
    # 3rd scores most and C alone is out of contention: searched; with room for almost nothing,
    # a status the bounds settle stays (C cannot reach A's 8 points), the others are not decided
    scores = past({"A": [(1, 8)], "B": [(2, 7)], "C": [(3, 0)]})
    races = [RaceAhead(f"Race {n}", PointsRule((1, 1, 3)), field=3) for n in (1, 2)]
    whole = check_against_brute_force(scores, races, SHARED)
    assert whole.searched and whole.needs_decided
    monkeypatch.setattr("results.rules.title.MAX_ORDERS", 20)
    bounded = check_against_brute_force(scores, races, SHARED)
    assert not bounded.needs_decided and bounded.needs_reason
    assert {o.name: o.status for o in bounded.outlooks} == {"A": NOT_DECIDED, "B": NOT_DECIDED, "C": OUT}


def test_a_field_too_small_for_everyone_in_the_standings_leaves_open_who_enters():
    # three in the standings, two entrants: B 2nd behind a driver out of contention (C not
    # entered) is a finishing order, so B's 2nd counts however A and C do
    scores = past({"A": [(1, 5)], "B": [(2, 4)], "C": [(3, 1)]})
    final = [RaceAhead("Final", PointsRule((3, 2, 1)), field=2)]
    answer = check_against_brute_force(scores, final, SHARED)
    b = next(o for o in answer.outlooks if o.name == "B")
    assert [(n.places, {(r.name, r.excluded) for r in n.rivals}) for n in b.clinches] == [
        ((1,), set()),
        ((2,), {("A", (1,))}),
    ]
    assert answer.races[0].open_places == range(1, 3)  # nobody is 3rd in a field of two


def test_at_most_counts_only_the_places_a_field_reaches():
    # 3rd scores most, but a field of two has no 3rd place: at most 1 point from the race
    scores = past({"A": [(1, 3)], "B": [(2, 2)]})
    answer = check_against_brute_force(scores, [RaceAhead("Final", PointsRule((1, 1, 3)), field=2)], SHARED)
    assert answer.points_left == 1
    assert [(o.name, o.most_points) for o in answer.outlooks] == [("A", 4), ("B", 3)]
