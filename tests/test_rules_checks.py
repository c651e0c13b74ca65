"""A race sheet's problems, each naming the row and the field an editor must fix."""

from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow, check_race
from results.rules.grids import Finish, Slot, grid_from


def results(*rows):
    return [
        ResultRow(i, name, name, position, laps, status)
        for i, (name, position, laps, status) in enumerate(rows, 1)
    ]


def messages(sheet, section=None):
    return [p.message for p in check_race(sheet) if section is None or p.section == section]


def test_a_clean_sheet_has_no_problems():
    sheet = RaceSheet(
        laps=35,
        results=results(("A", 1, 35, "finished"), ("B", 2, 35, "finished"), ("C", None, 20, "dnf")),
        grid=[GridRow(1, "A", "A", 1, "M"), GridRow(2, "B", "B", 2, "S")],
        stints=[StintRow(1, "A", "A", "M", 1, 12), StintRow(2, "A", "A", "H", 13, 35)],
        pit_stops=[LapRow(1, "A", "A", 12)],
    )
    assert check_race(sheet) == []


def test_a_position_used_twice_names_both_rows():
    sheet = RaceSheet(laps=10, results=results(("Kaj", 4, 10, "finished"), ("Takuma", 4, 10, "finished")))
    [problem] = [p for p in check_race(sheet) if p.field == "position" and p.row]
    assert (problem.row, problem.message) == (2, "Row 2 (Takuma): position 4 is already in row 1 (Kaj).")


def test_a_driver_entered_twice_is_refused():
    sheet = RaceSheet(laps=10, results=results(("Kaj", 1, 10, "finished"), ("Kaj", 2, 10, "finished")))
    assert "Row 2 (Kaj): Kaj is already in row 1 (Kaj)." in messages(sheet)


def test_a_complete_classification_runs_without_gaps_but_a_partial_one_may_skip():
    rows = results(("A", 1, 7, "finished"), ("B", 2, 7, "finished"), ("C", 7, 7, "finished"))
    [message] = messages(RaceSheet(laps=7, is_complete=True, results=rows))
    assert "3, 4, 5, 6 are missing" in message
    assert messages(RaceSheet(laps=7, is_complete=False, results=rows)) == []


def test_disqualified_drivers_have_no_position_and_finishers_need_one():
    rows = results(("A", 1, 7, "dsq"), ("B", None, 7, "finished"))
    found = messages(RaceSheet(laps=7, results=rows))
    assert (
        "Row 1 (A): a driver marked “Disqualified” has no finishing position; leave the position blank."
        in found
    )
    assert (
        "Row 2 (B): a finisher needs a finishing position, or to be marked “classified, place not published”."
        in found
    )


def test_laps_beyond_the_race_distance_are_refused():
    found = messages(RaceSheet(laps=35, results=results(("A", 1, 36, "finished"))))
    assert found == ["Row 1 (A): 36 laps completed, but the race is 35 laps long."]


def test_stints_that_overlap_are_refused_naming_both_rows():
    sheet = RaceSheet(
        laps=35,
        results=results(("Drumont", 1, 35, "finished")),
        stints=[StintRow(1, "Drumont", "Drumont", "S", 1, 10), StintRow(2, "Drumont", "Drumont", "M", 8, 20)],
    )
    assert messages(sheet, "stints") == [
        "Row 2 (Drumont): the stint (laps 8–20) overlaps the stint in row 1 (laps 1–10)."
    ]


def test_stints_past_the_laps_completed_are_refused():
    sheet = RaceSheet(
        laps=35,
        results=results(("Barbara", 12, 20, "dnf")),
        stints=[StintRow(1, "Barbara", "Barbara", "H", 1, 25)],
    )
    assert messages(sheet, "stints") == [
        "Row 1 (Barbara): the stint runs to lap 25, but Barbara completed 20 laps."
    ]


def test_a_stint_ending_before_it_starts_is_named_and_one_without_laps_is_accepted():
    sheet = RaceSheet(
        laps=35,
        stints=[StintRow(1, "A", "A", "S", 10, 3), StintRow(2, "A", "A", "M", None, None)],
    )
    assert messages(sheet, "stints") == [
        "Row 1 (A): the stint ends on lap 3, before it starts on lap 10.",
    ]


def test_stints_with_one_end_unknown_still_may_not_overlap():
    sheet = RaceSheet(
        laps=35,
        stints=[StintRow(1, "S", "S", "S", None, 33), StintRow(2, "S", "S", "H", 34, 35)],
    )
    assert check_race(sheet) == []
    clash = RaceSheet(
        laps=35, stints=[StintRow(1, "S", "S", "S", None, 34), StintRow(2, "S", "S", "H", 34, 35)]
    )
    assert len(messages(clash, "stints")) == 1


def test_the_first_stint_must_agree_with_the_starting_tyres_on_the_grid():
    sheet = RaceSheet(
        laps=35, grid=[GridRow(1, "A", "A", 1, "S")], stints=[StintRow(1, "A", "A", "M", 1, 10)]
    )
    assert messages(sheet) == [
        "Row 1 (A): the first stint is on Medium, but the grid says A started on Soft."
    ]


def test_grid_slots_pit_stops_and_penalties_are_checked():
    sheet = RaceSheet(
        laps=35,
        results=results(("A", 1, 30, "dnf")),
        grid=[GridRow(1, "A", "A", 1), GridRow(2, "B", "B", 1)],
        pit_stops=[LapRow(1, "A", "A", 31), LapRow(2, "B", "B", 5), LapRow(3, "B", "B", 5)],
        penalties=[LapRow(1, "A", "A", 33)],
    )
    assert messages(sheet) == [
        "Row 2 (B): grid slot 1 is already in row 1 (A).",
        "Row 1 (A): a pit stop on lap 31, but A completed 30 laps.",
        "Row 3 (B): a pit stop on lap 5 is already in row 2 (B).",
        "Row 1 (A): a penalty on lap 33, but A completed 30 laps.",
    ]


def test_grid_from_a_complete_classification_puts_unclassified_at_the_back():
    finishes = [Finish("A", 2), Finish("B", 1), Finish("C", None), Finish("D", 3), Finish("E", None)]
    assert grid_from(finishes) == [Slot("B", 1), Slot("A", 2), Slot("D", 3), Slot("C", 4), Slot("E", 5)]


def test_grid_from_a_partial_classification_keeps_only_the_known_places():
    finishes = [Finish("Drumont", 1), Finish("Gallo", 7), Finish("Miyazono", 2)]
    assert grid_from(finishes, is_complete=False) == [
        Slot("Drumont", 1),
        Slot("Miyazono", 2),
        Slot("Gallo", 7),
    ]


def test_the_first_stint_starts_on_lap_one_unless_its_first_lap_is_unknown():
    late = RaceSheet(laps=35, stints=[StintRow(1, "A", "A", "H", 34, 35)])
    assert messages(late) == [
        "Row 1 (A): the first stint starts on lap 34; a race starts on lap 1. "
        "Leave the first lap blank if it is not known."
    ]
    unknown_start = RaceSheet(
        laps=35, stints=[StintRow(1, "A", "A", "S", None, 33), StintRow(2, "A", "A", "H", 34, 35)]
    )
    assert check_race(unknown_start) == []


def test_a_position_beyond_the_largest_field_is_named_and_no_gap_is_listed():
    # A position of 2,000,000 once built a list of every missing position (a 17 MB page).
    sheet = RaceSheet(laps=None, results=results(("A", 1, 7, "finished"), ("B", 2_000_000, 7, "finished")))
    assert messages(sheet) == ["Row 2 (B): position 2000000 is beyond the largest field (100 drivers)."]


def test_grid_slots_and_laps_beyond_any_race_are_refused_in_a_timed_race():
    sheet = RaceSheet(
        laps=None,
        results=results(("A", 1, 5000, "finished")),
        grid=[GridRow(1, "A", "A", 101)],
        pit_stops=[LapRow(1, "A", "A", 1001)],
    )
    assert messages(sheet) == [
        "Row 1 (A): 5000 laps completed, but no race is longer than 1000 laps.",
        "Row 1 (A): grid slot 101 is beyond the largest field (100 drivers).",
        "Row 1 (A): a pit stop on lap 1001, but no race is longer than 1000 laps.",
    ]
