"""The rules for what the sources leave unknown: places not published, stints without laps,
"at least N of these compounds"."""

from results.rules.checks import RaceSheet, ResultRow, StintRow, check_race
from results.rules.classification import Entry, PointsRule, band_points, classify, place_words
from results.rules.standings import Score, standings
from results.rules.tyres import BREACH, OK, UNKNOWN, Stint, check_tyres, rule_in_words

SCALE = PointsRule((6, 5, 4, 3, 2, 1))


def test_an_unpublished_place_is_shown_in_words():
    assert place_words(7, 12) == "7th–12th"
    assert place_words(11, None) == "11th or lower"
    assert place_words(3, 3) == "3rd"
    assert place_words(None, None) == "classified"


def test_unpublished_places_follow_the_published_ones_by_band_and_precede_the_unclassified():
    rows = classify(
        [
            Entry("dns", None, status="dns"),
            Entry("anywhere", None, place_unknown=True),
            Entry("late", None, place_unknown=True, place_from=9, place_to=10),
            Entry("early", None, place_unknown=True, place_from=7, place_to=8),
            Entry("winner", 1),
            Entry("second", 2),
        ],
        SCALE,
    )
    assert [(r.driver, r.place_text) for r in rows] == [
        ("winner", "1"),
        ("second", "2"),
        ("early", "7th–8th"),
        ("late", "9th–10th"),
        ("anywhere", "classified"),
        ("dns", ""),
    ]
    assert [r.points for r in rows] == [6, 5, 0, 0, 0, 0]
    assert all(r.is_classified for r in rows[:5]) and not rows[5].is_classified


def test_a_band_scores_what_the_scale_gives_each_of_its_places_when_they_agree():
    # 7th to 12th on a six-place scale: nothing, whatever the place.
    assert band_points(SCALE, 7, 12) == {0}
    # 11th or lower, and 5th or lower, in a field whose end is not known.
    assert band_points(SCALE, 11, None) == {0}
    assert band_points(SCALE, 5, None) == {2, 1, 0}
    # A band all of whose places score the same: 1st or 2nd on a scale of equal points.
    assert band_points(PointsRule((3, 3, 1)), 1, 2) == {3}
    # 5th or 6th: 2 or 1 points, nobody can say which.
    assert band_points(SCALE, 5, 6) == {2, 1}
    # 5th or 6th where 5th is published for someone else: 6th, 1 point.
    assert band_points(SCALE, 5, 6, taken={5}) == {1}
    # No band: any place not published; with 1 to 6 taken only the places beyond the points remain.
    assert band_points(SCALE, taken={1, 2, 3, 4, 5, 6}) == {0}
    # A complete classification of five: the one unpublished place is the fifth.
    assert band_points(SCALE, taken={1, 2, 3, 4}, field_size=5) == {2}
    rows = classify([Entry(n, n) for n in range(1, 5)] + [Entry("x", None, place_unknown=True)], SCALE)
    assert rows[-1].points == 0  # the field's end is not known: 5th, 6th or lower
    rows = classify(
        [Entry(n, n) for n in range(1, 5)] + [Entry("x", None, place_unknown=True)], SCALE, is_complete=True
    )
    assert rows[-1].points == 2


def test_a_driver_whose_place_was_not_published_has_raced_in_the_standings():
    scores = [
        Score(1, "r1", "ann", "Ann", 1, 6),
        Score(1, "r1", "bob", "Bob", None, 0),  # classified, place not published
    ]
    table = standings(scores)
    bob = next(row for row in table if row.competitor == "bob")
    assert (bob.points, bob.round_points, bob.wins) == (0, {1: 0}, 0)


def sheet(*results, scale=(6, 5, 4, 3, 2, 1), complete=True, stints=()):
    return RaceSheet(
        laps=10, is_complete=complete, points_scale=scale, results=list(results), stints=list(stints)
    )


def messages(sheet_):
    return [p.message for p in check_race(sheet_)]


def test_a_band_spanning_places_with_different_points_is_named_by_row():
    found = messages(
        sheet(
            ResultRow(1, "a", "Ann", 1),
            ResultRow(2, "b", "Bob", None, place_unknown=True, place_from=4, place_to=8),
            complete=False,
        )
    )
    assert found == [
        "Row 2 (Bob): the places it may be (4th–8th) score differently on the race's scale "
        "(3, 2, 1, 0 points); give a narrower band, or set the points by hand."
    ]
    # Points set by hand settle it.
    assert not messages(
        sheet(
            ResultRow(1, "a", "Ann", 1),
            ResultRow(2, "b", "Bob", None, place_unknown=True, place_from=4, place_to=8, points_set=0),
            complete=False,
        )
    )


def test_bands_that_cannot_be_are_named():
    found = messages(
        sheet(
            ResultRow(1, "a", "Ann", 1),
            ResultRow(2, "b", "Bob", 2, place_unknown=True),
            ResultRow(3, "c", "Cem", None, place_unknown=True, place_from=12, place_to=7),
            ResultRow(4, "d", "Dan", None, status="dns", place_unknown=True),
            ResultRow(5, "e", "Eve", None, place_from=7, place_to=12),
            ResultRow(6, "f", "Fay", None),
            scale=(),
            complete=False,
        )
    )
    assert found == [
        "Row 2 (Bob): position 2 is published, but the row is marked “place not published”; keep one "
        "of them.",
        "Row 3 (Cem): the band runs from 12 to 7; write the higher place first (7 to 12).",
        "Row 4 (Dan): a driver marked “Did not start” is not classified, so has no place, published or not.",
        "Row 5 (Eve): a finisher needs a finishing position, or to be marked “classified, place not "
        "published”.",
        "Row 5 (Eve): a band of places is given only for a place not published; "
        "tick “classified, place not published” or clear the band.",
        "Row 6 (Fay): a finisher needs a finishing position, or to be marked “classified, place not "
        "published”.",
    ]


def test_places_not_published_may_fill_the_gaps_of_a_complete_classification():
    rows = [ResultRow(1, "a", "Ann", 1), ResultRow(2, "b", "Bob", 3)]
    assert messages(sheet(*rows, ResultRow(3, "c", "Cem", None, place_unknown=True), scale=())) == []
    assert "2 is missing" in messages(sheet(*rows, scale=()))[0]


def test_a_stint_whose_laps_are_not_known_is_accepted_and_proves_no_breach():
    stints = [StintRow(1, "a", "Ann", "S", 1, 10), StintRow(2, "a", "Ann", "M", None, None)]
    assert messages(sheet(ResultRow(1, "a", "Ann", 1, laps=10), stints=stints, scale=())) == []
    check = check_tyres([Stint("S", 1, 10), Stint("M", None, None)], 10, ["S", "M"])
    assert check.status == OK
    check = check_tyres([Stint("S", 1, 5), Stint("S", None, None)], 10, ["S", "M"])
    assert check.status == UNKNOWN  # the laps not known may have been on mediums


def test_at_least_n_of_these_compounds():
    complete = [Stint("S", 1, 5), Stint("M", 6, 10)]
    assert check_tyres(complete, 10, ["S", "M", "H"], at_least=2).status == OK
    assert check_tyres(complete, 10, ["S", "M", "H"]).status == BREACH
    one = [Stint("S", 1, 10)]
    assert check_tyres(one, 10, ["S", "M", "H"], at_least=2) == check_tyres(one, 10, ["S", "M", "H"])
    assert check_tyres([Stint("S", 1, 4)], 10, ["S", "M", "H"], at_least=2).status == UNKNOWN
    assert rule_in_words(["soft", "medium", "hard"], 2) == "at least 2 of soft, medium and hard"
    assert rule_in_words(["soft", "medium", "hard"]) == "each of soft, medium and hard"
    assert rule_in_words(["soft"]) == "soft at least once"
