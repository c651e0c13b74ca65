"""Plausibility warnings: shown before a save, acknowledged by the editor, never silently skipped."""

from results.rules.plausibility import Finisher, GridPlace, Plan, Sheet, acknowledgement, warnings
from results.rules.tyres import Stint


def finisher(row, name, position, gap="", laps=35, **extra):
    return Finisher(row=row, driver=name, name=name, position=position, gap=gap, laps=laps, **extra)


MONTREAL = [
    finisher(1, "Takuma Miyazono", 1),
    finisher(2, "Jose Serrano", 2, "+1.0684"),
    finisher(3, "Coque López", 3, "+5.678"),
    finisher(4, "Kaj de Bruin", 4, "+8.184"),
    finisher(5, "Takuma Sasaki", 5, "+8.184"),
    finisher(6, "Kylian Drumont", 6, "+1:05.950"),
    finisher(7, "Guy Barbara", 7, "N/A", laps=None),
]


def test_the_published_montreal_order_raises_no_warning():
    assert warnings(Sheet(results=MONTREAL, points_scale=(6, 5, 4, 3, 2, 1))) == []


def test_a_gap_smaller_than_the_one_ahead_is_named_with_both_gaps():
    rows = [finisher(1, "A", 1), finisher(2, "B", 2, "+5.345"), finisher(3, "C", 3, "+3.912")]
    [warning] = warnings(Sheet(results=rows))
    assert warning.code == "gap_order"
    assert warning.message == "Row 3 (C): the gap +3.912 is smaller than B's +5.345 in the place ahead."


def test_a_lapped_car_ahead_of_a_car_on_the_lead_lap():
    rows = [finisher(1, "A", 1), finisher(2, "B", 2, "+1 lap", laps=34), finisher(3, "C", 3, "+40.1")]
    [warning] = warnings(Sheet(results=rows))
    assert warning.code == "lapped_ahead"
    assert "behind B, who is 1 lap down" in warning.message


def test_a_lapped_car_told_by_its_laps_alone():
    rows = [finisher(1, "A", 1), finisher(2, "B", 2, "", laps=33), finisher(3, "C", 3, "+40.1")]
    assert [w.detail for w in warnings(Sheet(results=rows))] == [
        "on the lead lap (+40.1), but behind B, who is 2 laps down."
    ]


def test_a_nation_or_team_other_than_the_stored_one():
    rows = [
        finisher(1, "Jose Serrano", 1, nation="ES", stored_nation="ES"),
        finisher(2, "Coque López", 2, "+1.0", nation="PT", stored_nation="ES"),
        finisher(3, "New Driver", 3, "+2.0", nation="FR"),
        finisher(4, "Kaj de Bruin", 4, "+3.0", team="Toyota", stored_teams=("Porsche",)),
        finisher(5, "Takuma Sasaki", 5, "+4.0", team="toyota", stored_teams=("Toyota",)),
    ]
    assert [(w.row, w.code) for w in warnings(Sheet(results=rows))] == [(2, "nation"), (4, "team")]


def test_points_by_hand_that_differ_from_the_scale_with_its_multiplier():
    rows = [finisher(1, "A", 1, points_set=24), finisher(2, "B", 2, "+1.0", points_set=10)]
    sheet = Sheet(results=rows, points_scale=(12, 10), points_multiplier=2)
    [warning] = warnings(sheet)
    assert warning.message == "Row 2 (B): 10 points set by hand, but the scale gives position 2 20."


def test_a_grid_that_does_not_follow_its_source_race():
    grid = [GridPlace(1, "d1", "Kylian Drumont", 1), GridPlace(2, "d2", "Takuma Miyazono", 3)]
    sheet = Sheet(grid=grid, grid_source="Sprint Race", grid_expected={"d1": 1, "d2": 2})
    [warning] = warnings(sheet)
    assert warning.section == "grid"
    assert warning.message == (
        "Row 2 (Takuma Miyazono): grid slot 3, but the Sprint Race's final classification puts "
        "Takuma Miyazono in slot 2."
    )


def test_a_complete_strategy_without_a_mandatory_compound_but_not_a_partial_one():
    complete = Plan(1, "d1", "Jose Serrano", (Stint("S", 1, 33), Stint("H", 34, 35)), 35)
    partial = Plan(2, "d2", "Takuma Miyazono", (Stint("M", 1, None),), 35)
    sheet = Sheet(plans=[complete, partial], required_compounds=("S", "M", "H"))
    [warning] = warnings(sheet)
    assert warning.message == "Row 1 (Jose Serrano): the whole strategy is known and never uses Medium."


def test_the_acknowledgement_follows_the_warnings():
    rows = [finisher(1, "A", 1), finisher(2, "B", 2, "+5.345"), finisher(3, "C", 3, "+3.912")]
    found = warnings(Sheet(results=rows))
    assert acknowledgement(found) == acknowledgement(warnings(Sheet(results=rows)))
    changed = warnings(Sheet(results=[*rows[:2], finisher(3, "C", 3, "+3.913")]))
    assert acknowledgement(changed) != acknowledgement(found)
    assert acknowledgement([]) == ""
