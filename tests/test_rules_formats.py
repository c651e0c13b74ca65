"""Race formats: a round's races in one step, as the competition usually runs them."""

from django.utils.text import slugify

from results.rules.formats import FORMATS, RaceShape, format_of, numbered


def test_the_built_in_formats_read_as_their_races():
    words = {f.key: f.in_words() for f in FORMATS}
    assert words["sprint-main"] == "Sprint Race (no points) → Main Race (6-5-4-3-2-1, grid from Sprint Race)"
    assert words["world-finals"] == (
        "Race 1 (12-10-8-7-6-5-4-3-2-1) → Race 2 (12-10-8-7-6-5-4-3-2-1, grid from Race 1) → "
        "Grand Final (12-10-8-7-6-5-4-3-2-1 × 2, grid from Race 2)"
    )


def test_an_earlier_rounds_races_give_the_same_format_with_its_grid_chain():
    races = [
        RaceShape(11, "Sprint Race", "sprint"),
        RaceShape(
            12, "Main Race", "main", (6, 5, 4, 3, 2, 1), grid_from=11, required_compounds=("S", "M", "H")
        ),
    ]
    found = format_of(races, "last", "As at Montréal")
    assert [(s.name, s.grid_from, s.required_compounds, s.laps) for s in found.races] == [
        ("Sprint Race", None, (), None),
        ("Main Race", 0, ("S", "M", "H"), None),
    ]
    assert format_of([], "last", "none") is None


def test_numbers_and_slugs_follow_the_races_a_round_already_has():
    sprint_main = FORMATS[0].races
    placed = numbered(
        sprint_main, taken_numbers=[1, 2], taken_slugs=["sprint-race", "main-race"], slugify=slugify
    )
    assert [(number, slug) for _, number, slug in placed] == [(3, "sprint-race-2"), (4, "main-race-2")]
    fresh = numbered(sprint_main, [], [], slugify)
    assert [(number, slug) for _, number, slug in fresh] == [(1, "sprint-race"), (2, "main-race")]
