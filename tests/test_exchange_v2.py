"""The season file, version 2: it keeps every racing row, and an import deletes only when asked to."""

import copy
import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from results.exchange.exporter import export_season
from results.exchange.importer import import_season
from results.exchange.validate import DocumentError, load, read
from results.models import (
    Car,
    Driver,
    GridSlot,
    Incident,
    Penalty,
    Race,
    RaceReport,
    Result,
    Season,
    SeasonImport,
    Team,
    Track,
)

pytestmark = pytest.mark.django_db

SEASON_2030 = Path(__file__).parent / "data" / "season-2030.json"


def racing_models():
    """Every model of the results app but the editors' uploads."""
    return [
        m
        for m in apps.get_app_config("results").get_models()
        if m is not SeasonImport and not m.__name__.startswith("Historical")  # the record of changes
    ]


def counts():
    return {model.__name__: model.objects.count() for model in racing_models()}


def wipe_everything():
    """An empty database, through the ORM (every deletion marked for the page cache)."""
    RaceReport.objects.all().delete()
    Season.objects.all().delete()
    for model in (Car, Team, Driver, Track):
        model.objects.all().delete()
    assert not any(counts().values())


@pytest.fixture
def everything(demo):
    """The demo, plus what version 1 lost: a grid place and a penalty of a driver with no result, a
    second report (unpublished, with no races), a team on a result, pit stops with durations,
    incidents, a driver's online ID, a track's length and a car's category."""
    main = Race.objects.get(slug="main-race")
    newcomer = Driver.objects.create(
        name="Grid Only", slug="grid-only", nation="PT", online_id="grid_only_77"
    )
    GridSlot.objects.create(race=main, driver=newcomer, position=13, compound="M")
    Penalty.objects.create(race=main, driver=newcomer, lap=3, seconds=Decimal("2.500"), reason="Jump start")
    Incident.objects.create(race=main, driver=newcomer, lap=4, description="Stopped at Turn 10")
    team = Team.objects.create(name="Privateers", slug="privateers", kind=Team.Kind.TEAM, country="GB")
    main.results.filter(position=1).update(team=team)
    stop = main.pit_stops.order_by("pk").first()
    stop.duration_seconds = Decimal("24.350")
    stop.save()
    Penalty.objects.filter(race=main).exclude(driver=newcomer).update(is_added_after_finish=True)
    Track.objects.filter(slug="watkins-glen").update(length_km=Decimal("5.435"))
    Car.objects.filter(slug="ferrari-f50").update(category=Car.Category.ROAD)
    RaceReport.objects.create(
        round=main.round,
        title="Looking ahead to Prague",
        slug="2024-looking-ahead-to-prague",
        body="  Notes kept as written.\n\nSecond paragraph.\n",
        is_published=False,
    )
    return main


def test_export_import_into_an_empty_database_keeps_every_row_of_every_table(everything):
    before = counts()
    assert before["GridSlot"] == 6 and before["Penalty"] == 3 and before["RaceReport"] == 2
    assert before["PitStop"] and before["Incident"] and before["Team"] == 4
    document = export_season(2024)
    text = json.dumps(document)
    wipe_everything()

    import_season(load(text))

    assert counts() == before
    assert export_season(2024) == document
    assert json.loads(text) == document
    main = Race.objects.get(slug="main-race")
    grid_only = Driver.objects.get(name="Grid Only")
    assert (grid_only.slug, grid_only.online_id, grid_only.nation.code) == ("grid-only", "grid_only_77", "PT")
    assert main.grid_slots.get(driver=grid_only).compound == "M"
    assert main.results.get(position=1).team.name == "Privateers"
    assert Team.objects.get(name="Privateers").kind == "team"
    assert main.pit_stops.filter(duration_seconds=Decimal("24.35")).count() == 1
    assert Track.objects.get(slug="watkins-glen").length_km == Decimal("5.435")
    assert main.penalties.filter(is_added_after_finish=True).count() == 2
    note = RaceReport.objects.get(slug="2024-looking-ahead-to-prague")
    assert (note.is_published, note.body) == (False, "  Notes kept as written.\n\nSecond paragraph.\n")
    report = RaceReport.objects.exclude(pk=note.pk).get()
    assert report.is_published and sorted(report.races.values_list("slug", flat=True)) == [
        "main-race",
        "sprint-race",
    ]


def test_the_file_puts_drivers_without_a_result_beside_the_results(everything):
    race = export_season(2024)["competitions"][0]["rounds"][0]["races"][1]
    assert race["without_result"] == [
        {
            "driver": "Grid Only",
            "nation": "PT",
            "grid": 13,
            "grid_compound": "M",
            "grid_certainty": "stated",
            "penalties": [
                {"lap": 3, "seconds": 2.5, "reason": "Jump start", "after_finish": False, "certainty": "stated"}
            ],
            "stints": [],
            "pit_stops": [],
            "incidents": [{"lap": 4, "description": "Stopped at Turn 10"}],
        }
    ]


def test_reimporting_the_sites_own_export_deletes_nothing_and_changes_nothing(everything):
    before = counts()
    document = export_season(2024)
    summary = import_season(load(json.dumps(document)))
    assert not summary.changes_anything and not summary.deleted
    assert counts() == before
    assert export_season(2024) == document


def version_1(document):
    """The document as version 1 had it: no shared lists, no reports, no v2-only keys."""
    doc = copy.deepcopy(document)
    doc["format"] = "gtws-results/1"
    for key in ("drivers", "teams", "cars", "tracks", "reports"):
        doc.pop(key)
    for competition in doc["competitions"]:
        competition.pop("crew_points")
        for round_ in competition["rounds"]:
            round_.pop("slug"), round_.pop("status"), round_.pop("time_zone")
            for race in round_["races"]:
                race.pop("slug"), race.pop("without_result")
                for key in ("timed", "required_compounds_min", "status", "date", "starts_at"):
                    race.pop(key)
                race.pop("sources"), race.pop("conflicts")
                for entry in race["results"]:
                    for key in ("grid_compound", "pit_stops", "incidents", *LATER_ENTRY_KEYS):
                        entry.pop(key, None)
                    for penalty in entry["penalties"]:
                        penalty.pop("after_finish")
                        penalty.pop("certainty"), penalty.pop("reasoning", None)
                    for stint in entry["stints"]:
                        stint.pop("certainty"), stint.pop("reasoning", None)
    return doc


# The keys of an entry added to version 2 after its first release (places not published, crews,
# certainty).
LATER_ENTRY_KEYS = (
    *("place_unknown", "place_from", "place_to", "crew"),
    *("certainty", "reasoning", "grid_certainty", "grid_reasoning"),
)


def test_a_version_1_file_with_a_changed_result_keeps_the_rows_it_does_not_carry(everything):
    before = counts()
    compounds = set(GridSlot.objects.values_list("driver__name", "compound"))
    doc = version_1(export_season(2024))
    doc["competitions"][0]["rounds"][0]["races"][1]["results"][1]["gap"] = "+1.070"
    summary = import_season(read(doc))
    assert summary.updated["race results"] == 1 and not summary.deleted
    assert counts() == before  # grid place, penalty and incident of the driver with no result survive
    main = Race.objects.get(slug="main-race")
    assert main.grid_slots.get(driver__name="Grid Only").position == 13
    assert main.penalties.filter(is_added_after_finish=True).count() == 2  # v1 says nothing of the flag
    assert set(GridSlot.objects.values_list("driver__name", "compound")) == compounds  # v1 carries none


def test_a_replace_deletes_what_the_file_does_not_have_and_a_dry_run_says_so_first(everything):
    doc = export_season(2024)
    main = doc["competitions"][0]["rounds"][0]["races"][1]
    main["without_result"] = []
    doc["reports"] = doc["reports"][:1]

    without = import_season(read(copy.deepcopy(doc)), dry_run=True)
    preview = import_season(read(copy.deepcopy(doc)), dry_run=True, replace=True)

    assert not without.deleted
    assert dict(preview.deleted) == {"grid places": 1, "penalties": 1, "incidents": 1, "reports": 1}
    assert any("deletes 1 grid places" in line for line in preview.races)
    assert GridSlot.objects.filter(driver__name="Grid Only").exists()

    import_season(read(copy.deepcopy(doc)))  # without replace: nothing goes
    assert GridSlot.objects.filter(driver__name="Grid Only").exists() and RaceReport.objects.count() == 2

    done = import_season(read(doc), replace=True)
    assert done.deleted == preview.deleted
    assert not GridSlot.objects.filter(driver__name="Grid Only").exists()
    assert RaceReport.objects.count() == 1
    assert Result.objects.filter(race__slug="main-race").count() == 12


def test_a_replace_deletes_races_the_file_does_not_list(everything):
    doc = export_season(2024)
    doc["competitions"][0]["rounds"][0]["races"].pop(0)  # the sprint
    for report in doc["reports"]:
        report["races"] = [r for r in report["races"] if r["number"] != 1]
    doc["competitions"][0]["rounds"][0]["races"][0]["grid_from"] = None
    kept = import_season(read(copy.deepcopy(doc)))
    assert Race.objects.filter(slug="sprint-race").exists() and not kept.deleted
    gone = import_season(read(doc), replace=True)
    assert not Race.objects.filter(slug="sprint-race").exists()
    assert gone.deleted["races"] == 1 and gone.deleted["results"] == 4
    assert any(line.endswith("Sprint Race: deleted") for line in gone.races)


def test_the_command_replaces_only_when_asked(tmp_path, everything):
    doc = export_season(2024)
    doc["competitions"][0]["rounds"][0]["races"][1]["without_result"] = []
    path = tmp_path / "2024.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = io.StringIO()
    call_command("import_results", str(path), stdout=out)
    assert "deleted nothing" in out.getvalue()
    assert GridSlot.objects.filter(driver__name="Grid Only").exists()
    call_command("import_results", "--replace", "--dry-run", str(path), stdout=out)
    assert "would delete 1 grid places, 1 incidents, 1 penalties" in out.getvalue()
    assert GridSlot.objects.filter(driver__name="Grid Only").exists()
    call_command("import_results", "--replace", str(path), stdout=out)
    assert not GridSlot.objects.filter(driver__name="Grid Only").exists()


def test_version_1_files_still_import_and_version_2_keys_are_refused_in_them(everything):
    v1 = json.loads(SEASON_2030.read_text(encoding="utf-8"))
    assert v1["format"] == "gtws-results/1"
    assert import_season(read(copy.deepcopy(v1))).created["races"] == 8
    v1["competitions"][0]["rounds"][0]["races"][0]["without_result"] = []
    with pytest.raises(DocumentError) as caught:
        read(v1)
    assert caught.value.errors == ["competitions[0].rounds[0].races[0].without_result: unknown field"]


def refusals(edit):
    doc = export_season(2024)
    edit(doc)
    with pytest.raises(DocumentError) as caught:
        read(doc)
    return caught.value.errors


def main_race(doc):
    return doc["competitions"][0]["rounds"][0]["races"][1]


def test_new_fields_are_held_to_the_limits_with_their_place(everything):
    def edit(doc):
        race = main_race(doc)
        other = race["without_result"][0]
        other["grid_compound"] = "X"
        other["pit_stops"] = [{"lap": 1001, "seconds": 0}]
        other["incidents"] = [{"lap": 2, "description": "x" * 201}]
        other["penalties"][0]["after_finish"] = "yes"
        race["results"][0]["pit_stops"] = [{"lap": 40}]
        doc["drivers"][0]["online_id"] = "x" * 65
        doc["tracks"][0]["length_km"] = -1
        doc["teams"][0]["kind"] = "works"
        doc["reports"][0]["published_at"] = "yesterday"
        doc["reports"][1]["races"].append({"competition": "nations-cup", "number": 9})

    errors = refusals(edit)
    where = "competitions[0].rounds[0].races[1]"
    assert f'{where}.without_result[0].grid_compound: "X" is not one of "S", "M", "H", "IM", "W"' in errors
    assert f"{where}.without_result[0].pit_stops[0].lap: must be 1000 or less, got 1001" in errors
    assert (
        f"{where}.without_result[0].pit_stops[0].seconds: must be more than 0 and at most 999, "
        "got the number 0" in errors
    )
    assert (
        f'{where}.without_result[0].incidents[0].description: the text "{"x" * 40}…" '
        "is 201 characters long; at most 200 fit" in errors
    )
    assert (
        f'{where}.without_result[0].penalties[0].after_finish: expected true or false, got the text "yes"'
        in errors
    )
    assert (
        'drivers[0].online_id: the text "' + "x" * 40 + '…" is 65 characters long; at most 64 fit' in errors
    )
    assert "tracks[0].length_km: must be more than 0 and at most 999, got the number -1" in errors
    assert 'teams[0].kind: "works" is not one of "team", "manufacturer"' in errors
    assert any(e.startswith("reports[0].published_at: expected an ISO date and time") for e in errors)
    assert 'reports[1].races[2]: round 1 of the file has no race 9 of "nations-cup"' in errors


def test_race_rules_apply_to_drivers_without_a_result(everything):
    def edit(doc):
        race = main_race(doc)
        other = race["without_result"][0]
        other["grid"] = 1  # Miyazono's grid slot
        other["pit_stops"] = [{"lap": 36}]
        race["without_result"].append({"driver": race["results"][0]["driver"]})

    errors = refusals(edit)
    where = "competitions[0].rounds[0].races[1]"
    assert any(e.startswith(f"{where}.without_result[0].grid: ") for e in errors)
    assert any(
        e.startswith(f"{where}.without_result[0].pit_stops[0].lap: a pit stop on lap 36") for e in errors
    )
    assert any(e.startswith(f"{where}.without_result[1].driver: ") and "has a result" for e in errors)


def test_a_published_report_needs_its_time(everything):
    def edit(doc):
        doc["reports"][1]["published_at"] = None

    assert refusals(edit) == ["reports[1].published_at: a published report needs its publication time"]


def test_published_at_is_kept_to_the_microsecond(everything):
    moment = datetime(2024, 5, 4, 18, 30, 1, 250000, tzinfo=UTC)
    RaceReport.objects.filter(is_published=True).update(published_at=moment)
    doc = export_season(2024)
    RaceReport.objects.all().delete()
    import_season(read(doc))
    assert RaceReport.objects.get(is_published=True).published_at == moment


def test_a_race_whose_track_is_to_be_announced_round_trips(everything):
    Race.objects.filter(slug="sprint-race").update(track=None)
    document = export_season(2024)
    assert main_race_by_slug(document, "sprint-race")["track"] is None
    wipe_everything()

    import_season(load(json.dumps(document)))

    assert Race.objects.get(slug="sprint-race").track is None
    assert export_season(2024) == document


def main_race_by_slug(doc, slug):
    races = [race for c in doc["competitions"] for r in c["rounds"] for race in r["races"]]
    return next(race for race in races if race["slug"] == slug)


def test_a_races_day_start_status_and_tyre_rule_round_trip(everything):
    Race.objects.filter(slug="main-race").update(
        date=datetime(2024, 5, 5, tzinfo=UTC).date(),
        starts_at=datetime(2024, 5, 5, 18, 30, tzinfo=UTC),
        status=Race.Status.FINAL,
        required_compounds_min=2,
    )
    document = export_season(2024)
    main = main_race_by_slug(document, "main-race")
    assert (main["date"], main["starts_at"], main["status"], main["required_compounds_min"]) == (
        "2024-05-05",
        "2024-05-05T18:30:00+00:00",
        "final",
        2,
    )
    wipe_everything()

    import_season(load(json.dumps(document)))

    race = Race.objects.get(slug="main-race")
    assert (race.status, race.required_compounds_min, race.starts_at.hour) == ("final", 2, 18)
    assert export_season(2024) == document


def test_a_start_without_a_day_is_refused_with_its_place(everything):
    document = export_season(2024)
    main = main_race_by_slug(document, "main-race")
    main["date"], main["starts_at"] = None, "2024-05-05T18:30:00+00:00"
    with pytest.raises(DocumentError) as refused:
        load(json.dumps(document))
    assert any("starts_at: a start needs the race's date" in error for error in refused.value.errors)
