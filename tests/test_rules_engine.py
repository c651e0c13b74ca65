"""Classification, points, standings and tyre rules, tested on plain data without a database."""

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from results.rules.classification import Entry, PointsRule, classify
from results.rules.standings import COUNTBACK, SHARED, Score, standings
from results.rules.tyres import BREACH, OK, UNKNOWN, Stint, check_tyres

GTWS = PointsRule((6, 5, 4, 3, 2, 1))


def test_points_follow_the_scale_and_the_multiplier():
    entries = [Entry(d, p) for p, d in enumerate("ABCDEFGH", start=1)]
    assert [row.points for row in classify(entries, GTWS)] == [6, 5, 4, 3, 2, 1, 0, 0]
    assert [row.points for row in classify(entries, PointsRule((6, 5, 4), 2))][:4] == [12, 10, 8, 0]


def test_no_points_for_dsq_dns_nc_and_points_set_by_hand_stand():
    entries = [
        Entry("A", 1),
        Entry("B", 2, points_set=1),  # stewards' decision
        Entry("C", None, status="dsq"),
        Entry("D", None, status="dns"),
        Entry("E", None, status="nc"),
        Entry("F", 3, status="dnf"),  # a classified retirement scores
    ]
    assert [(r.driver, r.points) for r in classify(entries, GTWS)] == [
        ("A", 6),
        ("B", 1),
        ("F", 4),
        ("C", 0),
        ("D", 0),
        ("E", 0),
    ]


def test_gaps_are_shown_in_one_style_and_the_winner_shows_laps_or_time():
    rows = classify(
        [
            Entry("Miyazono", 1, laps=35),
            Entry("Carrazza", 2, laps=35, gap="+ 43.476"),
            Entry("Drumont", 3, laps=35, gap="+1:05.950"),
            Entry("Barbara", 4, gap="N/A"),
            Entry("Lapped", 5, laps=34, gap="+1 lap"),
        ]
    )
    assert [r.gap_text for r in rows] == ["35 laps", "+43.476", "+1:05.950", "N/A", "+1 lap"]
    timed = classify([Entry("W", 1, time="1:02:03.4560"), Entry("X", 2, gap="+1.0684")])
    assert [r.gap_text for r in timed] == ["1:02:03.456", "+1.0684"]


def test_a_time_penalty_added_after_the_finish_reorders_drivers_it_moves_behind():
    rows = classify(
        [
            Entry("A", 1, gap=""),
            Entry("B", 2, gap="+1.000", added_seconds=Decimal("5")),
            Entry("C", 3, gap="+3.500"),
            Entry("D", 4, gap="+8.184"),
        ],
        GTWS,
    )
    assert [(r.position, r.driver, r.gap_text, r.points) for r in rows] == [
        (1, "A", "", 6),
        (2, "C", "+3.500", 5),
        (3, "B", "+6.000", 4),
        (4, "D", "+8.184", 3),
    ]


def test_a_penalised_winner_loses_the_win_and_gaps_count_from_the_new_leader():
    rows = classify([Entry("A", 1, added_seconds=Decimal(2)), Entry("B", 2, gap="+1.500")], GTWS)
    assert [(r.driver, r.position, r.gap_text) for r in rows] == [("B", 1, ""), ("A", 2, "+0.500")]


def test_equal_gaps_are_allowed_and_keep_their_published_order():
    rows = classify([Entry("W", 1), Entry("de Bruin", 4, gap="+8.184"), Entry("Sasaki", 5, gap="+8.184")])
    assert [(r.driver, r.gap_text) for r in rows[1:]] == [("de Bruin", "+8.184"), ("Sasaki", "+8.184")]


def montreal_scores():
    order = ["Miyazono", "Serrano", "López", "de Bruin", "Sasaki", "Gallo"]
    order += ["Roach", "Heck", "Carrazza", "Drumont", "Inostroza", "Barbara"]
    rows = classify([Entry(name, position) for position, name in enumerate(order, start=1)], GTWS)
    return [Score(1, "main", r.driver, r.driver, r.position, r.points) for r in rows]


def test_montreal_standings_are_six_five_four_three_two_one_and_the_rest_share_seventh():
    table = standings(montreal_scores())
    assert [(s.position, s.name, s.points) for s in table] == [
        (1, "Miyazono", 6),
        (2, "Serrano", 5),
        (3, "López", 4),
        (4, "de Bruin", 3),
        (5, "Sasaki", 2),
        (6, "Gallo", 1),
        (7, "Roach", 0),
        (7, "Heck", 0),
        (7, "Carrazza", 0),
        (7, "Drumont", 0),
        (7, "Inostroza", 0),
        (7, "Barbara", 0),
    ]
    assert table[0].wins == 1 and table[2].podiums == 1 and table[3].podiums == 0
    assert all(s.movement is None for s in table)


def test_countback_splits_equal_points_by_wins_and_says_so():
    scores = [
        Score(1, "r1", "Ann", "Ann", 1, 10),
        Score(1, "r1", "Cat", "Cat", 2, 6),
        Score(2, "r2", "Cat", "Cat", 2, 4),
        Score(2, "r2", "Ann", "Ann", None, 0),
    ]
    table = standings(scores, tie_break=COUNTBACK)
    assert [(s.position, s.name, s.points) for s in table] == [(1, "Ann", 10), (2, "Cat", 10)]
    assert table[0].tie_note == "Ahead of Cat on countback: 1 win to 0."
    assert table[1].tie_note == "Behind Ann on countback: 0 wins to 1."
    shared = standings(scores, tie_break=SHARED)
    assert [(s.position, s.is_shared) for s in shared] == [(1, True), (1, True)]


def test_movement_since_the_previous_round():
    scores = [
        Score(1, "r1", "A", "A", 1, 6),
        Score(1, "r1", "B", "B", 2, 5),
        Score(2, "r2", "B", "B", 1, 6),
        Score(2, "r2", "A", "A", 3, 0),
        Score(2, "r2", "C", "C", 2, 5),
    ]
    table = standings(scores)
    assert [(s.name, s.position, s.previous_position, s.movement) for s in table] == [
        ("B", 1, 2, 1),
        ("A", 2, 1, -1),
        ("C", 3, None, None),
    ]
    assert table[0].round_points == {1: 5, 2: 6}
    assert [s.name for s in standings(scores, after_round=1)] == ["A", "B"]


def test_races_without_points_do_not_count_as_wins():
    scores = [Score(1, "sprint", "A", "A", 1, 0, counts_places=False), Score(1, "main", "A", "A", 4, 3)]
    [row] = standings(scores)
    assert (row.wins, row.podiums, row.points) == (0, 0, 3)


# --- Properties -------------------------------------------------------------------------------------

competitors = st.sampled_from(["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"])


@st.composite
def seasons(draw):
    """Random seasons: rounds of one race each, every entrant classified in some order."""
    scale = draw(st.lists(st.integers(0, 25), max_size=8))
    rule = PointsRule(tuple(sorted(scale, reverse=True)), draw(st.sampled_from([1, 2])))
    scores = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        field_ = draw(st.lists(competitors, min_size=1, max_size=6, unique=True))
        rows = classify([Entry(name, position) for position, name in enumerate(field_, start=1)], rule)
        scores.extend(Score(number, number, r.driver, r.driver, r.position, r.points) for r in rows)
    return scores


@given(seasons(), st.sampled_from([SHARED, COUNTBACK]))
def test_standings_equal_the_sum_of_points(scores, tie_break):
    for row in standings(scores, tie_break=tie_break):
        assert row.points == sum(s.points for s in scores if s.competitor == row.competitor)
        assert row.points == sum(row.round_points.values())


@given(seasons(), st.sampled_from([SHARED, COUNTBACK]))
def test_positions_are_a_ranking_of_every_competitor(scores, tie_break):
    table = standings(scores, tie_break=tie_break)
    assert sorted(s.competitor for s in table) == sorted({s.competitor for s in scores})
    for index, row in enumerate(table):
        # A position is 1 + the number of competitors strictly ahead: 1, 2, 2, 2, 5.
        assert row.position == 1 + sum(1 for other in table if other.position < row.position)
        assert row.position <= index + 1
    assert [s.points for s in table] == sorted((s.points for s in table), reverse=True)


@given(seasons())
def test_countback_orders_every_tie_that_results_can_break(scores):
    table = standings(scores, tie_break=COUNTBACK)
    for a, b in itertools.pairwise(table):
        if a.points == b.points:
            if a.places == b.places:
                assert a.position == b.position
            else:
                assert a.position < b.position and a.places > b.places
                assert f"Ahead of {b.name} on countback" in a.tie_note


@given(seasons())
def test_shared_ties_repeat_positions(scores):
    table = standings(scores, tie_break=SHARED)
    for a, b in itertools.pairwise(table):
        assert (a.position == b.position) == (a.points == b.points)


# --- Tyres ------------------------------------------------------------------------------------------


def test_a_complete_strategy_missing_a_compound_is_a_breach():
    stints = [Stint("M", 1, 12), Stint("H", 13, 35)]
    assert check_tyres(stints, 35, ["S", "M", "H"]).status == BREACH
    assert check_tyres(stints, 35, ["S", "M", "H"]).missing == ("S",)
    assert (
        check_tyres([*stints[:1], Stint("S", 13, 20), Stint("H", 21, 35)], 35, ["S", "M", "H"]).status == OK
    )


def test_a_partly_known_strategy_is_never_called_a_breach():
    # The Montréal report gives only Miyazono's starting mediums.
    check = check_tyres([Stint("M", 1, None)], 35, ["S", "M", "H"])
    assert (check.status, check.missing) == (UNKNOWN, ("S", "H"))
    assert check_tyres([Stint("M", 1, 10), Stint("H", 12, 35)], 35, ["S"]).status == UNKNOWN
