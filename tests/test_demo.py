"""The Montréal 2024 demo holds exactly the facts of the press report, and nothing invented."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from results.demo import DEMO_EDITOR_USERNAME, REPORT_BODY, REPORT_STANDFIRST, REPORT_TITLE
from results.models import Race, RaceReport, Result, Round, Season
from results.read.loaders import race_sheet
from results.rules.checks import check_race

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "gtws-2024-round1-montreal.txt"


def main_race():
    return Race.objects.get(round__season__year=2024, round__number=1, slug="main-race")


def sprint_race():
    return Race.objects.get(round__season__year=2024, round__number=1, slug="sprint-race")


def test_the_season_rounds_and_calendar(demo):
    season = Season.objects.get(year=2024)
    assert [c.name for c in season.competitions.all()] == ["Nations Cup"]
    rounds = [(r.number, r.city, r.country.code, r.status) for r in season.rounds.all()]
    assert rounds == [(1, "Montréal", "CA", "completed"), (2, "Prague", "CZ", "scheduled")]


def test_the_sprint_at_watkins_glen(demo):
    sprint = sprint_race()
    assert (sprint.laps, sprint.track.name, sprint.kind, sprint.points_scale) == (
        7,
        "Watkins Glen",
        "sprint",
        [],
    )
    assert sprint.is_complete is False
    assert [(g.position, g.driver.name) for g in sprint.grid_slots.all()] == [(1, "Takuma Miyazono")]
    placings = [(r.position, r.driver.name, r.car.name if r.car else None) for r in sprint.results.all()]
    assert placings == [
        (1, "Kylian Drumont", "Chevrolet Corvette"),
        (2, "Takuma Miyazono", "Ferrari F50"),
        (3, "Takuma Sasaki", None),
        (7, "Valerio Gallo", None),
    ]


def test_the_main_race_format(demo):
    main = main_race()
    assert (main.laps, main.track.name, main.car.name) == (
        35,
        "Michelin Raceway Road Atlanta",
        "Red Bull X2019 Competition",
    )
    assert main.required_compounds == ["S", "M", "H"]
    assert main.points_scale == [6, 5, 4, 3, 2, 1] and main.points_multiplier == 1
    assert main.grid_from == sprint_race()


def test_the_main_race_grid_is_the_sprint_finishing_order(demo):
    grid = [(g.position, g.driver.name, g.compound) for g in main_race().grid_slots.all()]
    sprint = [(r.position, r.driver.name) for r in sprint_race().results.all()]
    assert [(position, name) for position, name, _ in grid] == sprint
    assert grid[:3] == [(1, "Kylian Drumont", "S"), (2, "Takuma Miyazono", "M"), (3, "Takuma Sasaki", "M")]


def test_the_main_race_classification_with_gaps_exactly_as_published(demo):
    rows = [(r.position, r.driver.name, r.driver.nation.name, r.gap) for r in main_race().results.all()]
    assert rows == [
        (1, "Takuma Miyazono", "Japan", ""),
        (2, "Jose Serrano", "Spain", "+1.0684"),
        (3, "Coque López", "Spain", "+5.678"),
        (4, "Kaj de Bruin", "Netherlands", "+8.184"),
        (5, "Takuma Sasaki", "Japan", "+8.184"),
        (6, "Valerio Gallo", "Italy", "+28.755"),
        (7, "Calen Roach", "United States of America", "+35.113"),
        (8, "Robert Heck", "United States of America", "+41.215"),
        (9, "Adriano Carrazza", "Brazil", "+ 43.476"),
        (10, "Kylian Drumont", "France", "+1:05.950"),
        (11, "Angel Inostroza", "Chile", "+1:22.152"),
        (12, "Guy Barbara", "Australia", "N/A"),
    ]
    winner, *_ = main_race().results.all()
    assert winner.laps == 35
    de_bruin, sasaki = Result.objects.filter(race=main_race(), position__in=[4, 5])
    assert de_bruin.gap_seconds == sasaki.gap_seconds == Decimal("8.184")
    assert main_race().results.get(position=12).laps is None  # N/A: not known


def test_starting_tyres_and_pit_stops_the_report_gives(demo):
    main = main_race()
    first_stints = {s.driver.name: (s.compound, s.last_lap) for s in main.stints.filter(first_lap=1)}
    assert first_stints == {
        "Kylian Drumont": ("S", 10),
        "Takuma Miyazono": ("M", None),
        "Takuma Sasaki": ("M", None),
        "Calen Roach": ("H", 1),
        "Guy Barbara": ("H", 1),
        "Angel Inostroza": ("H", 1),
        "Robert Heck": ("H", 1),
    }
    stops = sorted((p.lap, p.driver.name) for p in main.pit_stops.all())
    assert stops == [
        (1, "Angel Inostroza"),
        (1, "Calen Roach"),
        (1, "Guy Barbara"),
        (1, "Robert Heck"),
        (10, "Kylian Drumont"),
        (33, "Jose Serrano"),
    ]
    serrano = [(s.compound, s.first_lap, s.last_lap) for s in main.stints.filter(driver__slug="jose-serrano")]
    assert serrano == [("S", None, 33), ("H", 34, 35)]


def test_penalties_and_the_crash(demo):
    main = main_race()
    penalties = [(p.driver.name, p.seconds, p.reason) for p in main.penalties.all()]
    assert sorted(penalties, key=str) == sorted(
        [("Takuma Miyazono", Decimal("0.500"), "Track limits"), ("Takuma Miyazono", None, "Track limits")],
        key=str,
    )
    crash = main.incidents.get(driver__slug="kylian-drumont")
    assert crash.lap == 28 and "Turn 5" in crash.description


def test_the_demo_passes_the_editors_checks(demo):
    assert check_race(race_sheet(main_race())) == []
    assert check_race(race_sheet(sprint_race())) == []


def test_the_report_is_published_and_linked_to_both_races(demo):
    report = RaceReport.objects.get()
    assert report.is_published and report.published_at is not None
    assert report.round == Round.objects.get(season__year=2024, number=1)
    assert set(report.races.all()) == {main_race(), sprint_race()}


@pytest.mark.skipif(not SEED.exists(), reason="the seed report lives in ../shared/seeds")
def test_the_report_is_written_in_our_own_words():
    """No run of eight words of the press report appears in ours."""

    def runs(text, n=8):
        words = re.findall(r"[\w’']+", text.lower())
        return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

    ours = runs(" ".join([REPORT_TITLE, REPORT_STANDFIRST, REPORT_BODY]))
    assert ours and not ours & runs(SEED.read_text(encoding="utf-8"))


def test_loading_twice_changes_nothing_and_keeps_an_editors_fix(demo):
    fixed = Result.objects.get(race=main_race(), position=12)
    fixed.laps = 34
    fixed.save()
    counts = {model: model.objects.count() for model in (Race, Result, RaceReport, Round)}

    call_command("load_demo", stdout=io.StringIO())

    assert {model: model.objects.count() for model in counts} == counts
    assert Result.objects.get(race=main_race(), position=12).laps == 34


def test_reset_puts_the_demo_back(demo):
    Result.objects.filter(race=main_race(), position=12).update(laps=34)
    call_command("load_demo", "--reset", stdout=io.StringIO())
    assert Result.objects.get(race=main_race(), position=12).laps is None
    assert main_race().results.count() == 12


def test_the_demo_editor_exists_only_while_debug_is_on(db, settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username=DEMO_EDITOR_USERNAME).exists()

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username=DEMO_EDITOR_USERNAME)
    assert editor.is_staff and not editor.is_superuser
    assert [g.name for g in editor.groups.all()] == ["Editors"]
