"""The season file: import, export, idempotence, and refusal of broken documents."""

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from results.exchange.exporter import export_season
from results.exchange.importer import import_season
from results.exchange.validate import DocumentError, load, read
from results.models import Car, Competition, Driver, Race, Result, Season, Team, Track
from results.read.loaders import competition_standings

from . import factories

pytestmark = pytest.mark.django_db

SEASON_2030 = Path(__file__).parent / "data" / "season-2030.json"


def season_2030():
    return json.loads(SEASON_2030.read_text(encoding="utf-8"))


def imported(document):
    return import_season(read(copy.deepcopy(document)))


def table(slug, after_round):
    competition = Competition.objects.get(season__year=2030, slug=slug)
    return [(s.position, s.name, s.points) for s in competition_standings(competition, after_round)]


def test_the_test_season_gives_the_standings_worked_out_by_hand():
    imported(season_2030())
    # Round 1: 10-6-4-3.
    assert table("test-cup", 1) == [(1, "Ann", 10), (2, "Bob", 6), (3, "Cat", 4), (4, "Dan", 3)]
    # Round 2: the sprint pays nothing; Ann is disqualified from the main race. Ann and Cat on 10:
    # countback, Ann has a win and Cat none.
    assert table("test-cup", 2) == [(1, "Bob", 16), (2, "Ann", 10), (3, "Cat", 10), (4, "Dan", 7)]
    # Round 3: heats pay nothing, the final pays double (20-12-8), and the stewards set Bob's
    # points to 2. Bob and Ann on 18: one win each, Bob has a second place and Ann none.
    assert table("test-cup", 3) == [(1, "Cat", 30), (2, "Dan", 19), (3, "Bob", 18), (4, "Ann", 18)]
    # Nations, shared: France and Germany both on 8 share first place.
    assert table("shared-cup", 1) == [(1, "France", 5), (2, "Germany", 3), (3, "Italy", 1)]
    assert table("shared-cup", 2) == [(1, "France", 8), (1, "Germany", 8), (3, "Italy", 2)]


def test_standings_carry_movement_wins_podiums_and_the_countback_in_words():
    imported(season_2030())
    competition = Competition.objects.get(season__year=2030, slug="test-cup")
    rows = {s.name: s for s in competition_standings(competition)}
    assert {name: row.movement for name, row in rows.items()} == {"Cat": 2, "Dan": 2, "Bob": -2, "Ann": -2}
    assert (rows["Bob"].wins, rows["Bob"].podiums) == (1, 2)
    assert rows["Bob"].round_points == {1: 6, 2: 10, 3: 2}
    assert rows["Bob"].tie_note == "Ahead of Ann on countback: 1 second place to 0."


def test_the_same_round_number_is_one_event_for_both_competitions():
    imported(season_2030())
    season = Season.objects.get(year=2030)
    assert [(r.number, r.name, r.status) for r in season.rounds.all()] == [
        (1, "Alpha", "completed"),
        (2, "Beta", "completed"),
        (3, "Gamma", "completed"),
    ]
    assert season.rounds.get(number=1).races.count() == 2


def test_grids_come_from_the_document_and_point_at_earlier_races():
    imported(season_2030())
    final = Race.objects.get(round__season__year=2030, round__number=3, slug="final")
    assert final.grid_from.name == "Heat 2" and final.points_multiplier == 2
    assert [(g.position, g.driver.name) for g in final.grid_slots.all()] == [
        (1, "Cat"),
        (2, "Dan"),
        (3, "Ann"),
        (4, "Bob"),
    ]


def test_importing_twice_changes_nothing_the_second_time():
    first = imported(season_2030())
    ids = sorted(Result.objects.values_list("pk", flat=True))
    second = imported(season_2030())
    assert first.changes_anything and not second.changes_anything
    assert sorted(Result.objects.values_list("pk", flat=True)) == ids
    assert Driver.objects.count() == 8


def test_a_changed_result_is_updated_not_duplicated():
    imported(season_2030())
    document = season_2030()
    document["competitions"][0]["rounds"][0]["races"][0]["results"][1]["gap"] = "+1.600"
    summary = imported(document)
    assert summary.updated["race results"] == 1
    assert Result.objects.get(
        race__round__season__year=2030, race__round__number=1, driver__name="Bob"
    ).gap == ("+1.600")
    assert Result.objects.filter(driver__name="Bob").count() == 6


def test_a_gap_with_its_unit_is_imported_as_published_and_sorted_as_seconds():
    document = season_2030()
    main_race(document)["results"][1]["gap"] = "+1.6 s"
    imported(document)
    bob = Result.objects.get(race__round__season__year=2030, race__round__number=1, driver__name="Bob")
    assert (bob.gap, bob.gap_seconds) == ("+1.6 s", Decimal("1.6"))
    assert refused(changed(lambda d: main_race(d)["results"][1].update(gap="+1.6 ss"))) == [
        "competitions[0].rounds[0].races[0].results[1].gap: “+1.6 ss” is not a gap: "
        "write it as +1.0684, +1.6 s, +1:05.950, +1 lap, +2 laps or N/A."
    ]


def test_a_dry_run_reports_and_changes_nothing():
    summary = import_season(read(season_2030()), dry_run=True)
    assert summary.created["races"] == 8
    assert not Season.objects.exists()


def wipe():
    Season.objects.all().delete()
    for model in (Driver, Car, Team, Track):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_document(demo):
    imported(season_2030())
    exported = {year: export_season(year) for year in (2024, 2030)}
    texts = {year: json.dumps(document) for year, document in exported.items()}
    wipe()
    for text in texts.values():
        import_season(load(text))
    for year, document in exported.items():
        assert export_season(year) == document
        assert json.loads(texts[year]) == document


def test_the_commands_speak_the_format(tmp_path, demo):
    out = io.StringIO()
    call_command("export_results", "--season", "2024", stdout=out)
    path = tmp_path / "2024.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    wipe()
    done = io.StringIO()
    call_command("import_results", str(path), stdout=done)
    assert "Imported season 2024" in done.getvalue()
    assert Result.objects.filter(race__slug="main-race").count() == 12
    with pytest.raises(CommandError, match="There is no 1999 season"):
        call_command("export_results", "--season", "1999", stdout=io.StringIO())


# --- Broken documents -------------------------------------------------------------------------------


def refused(document_or_text):
    """Import a broken document: it must be refused whole, with nothing written."""
    imported(season_2030())
    before = export_season(2030)
    counts = Result.objects.count(), Race.objects.count(), Driver.objects.count()
    text = document_or_text if isinstance(document_or_text, str) else json.dumps(document_or_text)
    with pytest.raises(DocumentError) as caught:
        import_season(load(text))
    assert export_season(2030) == before
    assert (Result.objects.count(), Race.objects.count(), Driver.objects.count()) == counts
    return caught.value.errors


def changed(edit):
    document = season_2030()
    edit(document)
    return document


def main_race(document, competition=0, round_=0, race=0):
    return document["competitions"][competition]["rounds"][round_]["races"][race]


def test_bad_json_is_refused_with_the_line():
    assert refused('{"format": "gtws-results/1", "season": {') == [
        "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 41"
    ]


def test_wrong_types_are_refused_with_their_place():
    def edit(document):
        main_race(document)["laps"] = "ten"
        main_race(document)["results"][0]["position"] = 1.5
        document["season"]["year"] = "2030"

    errors = refused(changed(edit))
    assert 'season.year: expected a whole number, got the text "2030"' in errors
    assert (
        'competitions[0].rounds[0].races[0].laps: expected a whole number or null, got the text "ten"'
        in errors
    )
    assert (
        "competitions[0].rounds[0].races[0].results[0].position: "
        "expected a whole number or null, got the number 1.5" in errors
    )


def test_repeated_positions_are_refused_with_their_place():
    errors = refused(changed(lambda d: main_race(d)["results"][2].update(position=2)))
    assert errors == [
        "competitions[0].rounds[0].races[0].results[2].position: position 2 is already in results[1] (Bob).",
        "competitions[0].rounds[0].races[0].results: Positions must run from 1 to 4 without gaps, but 3 is "
        "missing. If the published classification is only partly known, mark it as not complete.",
    ]


def test_unknown_compounds_are_refused():
    errors = refused(changed(lambda d: main_race(d)["results"][0]["stints"][0].update(compound="X")))
    assert errors == [
        'competitions[0].rounds[0].races[0].results[0].stints[0].compound: "X" is not one of '
        '"S", "M", "H", "IM", "W"'
    ]


def test_overlapping_stints_are_refused():
    errors = refused(changed(lambda d: main_race(d)["results"][0]["stints"][1].update(from_lap=4)))
    assert errors == [
        "competitions[0].rounds[0].races[0].results[0].stints[1].from_lap: the stint (laps 4–10) overlaps "
        "the stint in results[0].stints[0] (laps 1–5)."
    ]


def test_a_grid_from_a_later_race_is_refused():
    errors = refused(changed(lambda d: main_race(d, round_=1, race=0).update(grid_from=2)))
    assert errors == [
        "competitions[0].rounds[1].races[0].grid_from: "
        "race 2 is not an earlier race of this round (this is race 1)"
    ]


def test_unknown_fields_missing_fields_and_disagreeing_events_are_refused():
    def edit(document):
        main_race(document)["results"][0]["postion"] = 1
        del main_race(document)["kind"]
        document["competitions"][1]["rounds"][0]["city"] = "Elsewhere"

    errors = refused(changed(edit))
    assert "competitions[0].rounds[0].races[0].results[0].postion: unknown field" in errors
    assert "competitions[0].rounds[0].races[0].kind: missing" in errors
    assert (
        "competitions[1].rounds[0]: round 1 is the same event as competitions[0].rounds[0], so its name, "
        "city, country, venue and date must agree with it" in errors
    )


def test_nations_may_be_given_as_alpha_3_codes_or_english_names():
    def edit(document):
        main_race(document)["results"][0]["nation"] = "FRA"
        for race in document["competitions"][0]["rounds"][1:]:
            for r in race["races"]:
                for entry in r["results"]:
                    if entry["driver"] == "Ann":
                        entry["nation"] = "France"

    imported(changed(edit))
    assert Driver.objects.get(name="Ann").nation.code == "FR"
    with pytest.raises(DocumentError, match="is not a country"):
        read(changed(lambda d: main_race(d)["results"][0].update(nation="Atlantis")))


# --- Files no season could be --------------------------------------------------------------------


RESULT_0 = "competitions[0].rounds[0].races[0].results[0]"


def test_text_longer_than_its_column_is_refused_with_its_place():
    errors = refused(
        changed(lambda d: main_race(d)["results"][0].update(driver="B" * 5000, reason="r" * 201))
    )
    assert errors == [
        f'{RESULT_0}.driver: the text "{"B" * 40}…" is 5,000 characters long; at most 100 fit',
        f'{RESULT_0}.reason: the text "{"r" * 40}…" is 201 characters long; at most 200 fit',
    ]


def test_numbers_no_race_has_are_refused_with_their_place():
    def edit(document):
        main_race(document)["results"][0].update(position=2_000_000, laps=40_000)
        main_race(document)["results"][0]["penalties"] = [{"lap": 2, "seconds": 1e9, "reason": "x"}]
        main_race(document)["points"] = [10**17]

    errors = refused(changed(edit))
    assert "competitions[0].rounds[0].races[0].points[0]: must be 1000 or less, got 1" + "0" * 17 in errors
    assert f"{RESULT_0}.position: must be 100 or less, got 2000000" in errors
    assert f"{RESULT_0}.laps: must be 1000 or less, got 40000" in errors
    assert (
        f"{RESULT_0}.penalties[0].seconds: must be more than 0 and at most 999, got the number 1000000000.0"
        in errors
    )


def test_a_race_with_more_entries_than_the_largest_field_is_refused():
    entries = [{"driver": f"Driver {n}", "status": "dns"} for n in range(101)]
    errors = refused(changed(lambda d: main_race(d).update(results=entries)))
    assert errors == ["competitions[0].rounds[0].races[0].results: holds 101 items; at most 100 fit"]


def test_a_file_of_more_rows_than_a_season_is_refused():
    document = factories.season_document(rounds=50, races=5, entries=51)  # 12,750 entries, 4 rows each
    with pytest.raises(DocumentError) as caught:
        load(json.dumps(document))
    assert caught.value.errors == [
        "competitions: the file holds 51,000 entries, stints, penalties, pit stops and incidents (with crew "
        "members, sources and conflicting values); "
        "a season file holds at most 50,000"
    ]


def test_null_characters_are_refused_in_the_file_and_in_its_texts():
    text = json.dumps(changed(lambda d: main_race(d)["results"][0].update(driver="B\x00C")))
    assert refused(text) == [
        f'{RESULT_0}.driver: the text "B\\x00C" contains a null character (\\x00), which cannot be stored'
    ]
    assert refused('{"format": "gtws-results/1",\n "season": \x00}') == [
        "the file contains a null character (\\x00) at line 2, column 12; a season file is JSON text, "
        "which has none"
    ]


def test_half_a_character_is_refused_with_its_place():
    text = json.dumps(changed(lambda d: main_race(d)["results"][0].update(driver="B\ud800")))
    assert refused(text) == [
        f'{RESULT_0}.driver: the text "B\\ud800" contains half of a character (a lone surrogate such as '
        "\\ud800)"
    ]


def test_json_nested_a_thousand_deep_is_refused_in_one_sentence():
    deep = '{"format": "gtws-results/1", "season": ' + "[" * 1000 + "]" * 1000 + ', "competitions": []}'
    assert refused(deep) == ["the JSON nests lists and objects deeper than a season file does (12 levels)"]
    shallow = '{"format": "gtws-results/1", "season": ' + "[" * 20 + "]" * 20 + ', "competitions": []}'
    assert refused(shallow) == ["the JSON nests lists and objects deeper than a season file does (12 levels)"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"season": NaN}', "not valid JSON for a season file: NaN is not a number a season file can hold"),
        (
            '{"season": ' + "9" * 5000 + "}",
            "not valid JSON for a season file: a whole number of 5,000 digits is larger than any a season "
            "file holds",
        ),
    ],
)
def test_numbers_json_allows_but_python_cannot_read_are_refused(text, error):
    assert refused(text) == [error]


def test_a_file_larger_than_a_season_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr("results.exchange.validate.MAX_SEASON_FILE_BYTES", 1000)
    with pytest.raises(DocumentError) as caught:
        load(b" " * 1001)
    assert caught.value.errors == ["the file is 1,001 bytes; a season file is at most 1,000 bytes (0 MB)"]
