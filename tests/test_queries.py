"""Every public page runs a pinned number of SQL queries, rendered from an empty cache, whatever its rows.

The test settings' caches are in local memory, so the queries counted are the page's own.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches

from community.models import Comment
from results.exchange.importer import import_season
from results.exchange.validate import read
from results.models import Competition, Race, RaceReport, Result, Round, Season

from . import factories

pytestmark = pytest.mark.django_db

REPORT = "/reports/2024-montreal-nations-cup-miyazono-leads/"

# Each page's queries, counted on the Montréal demo (the report with comments and replies).
# The menu's competitions are one query on every page that shows the menu.
QUERIES = {
    # season, latest reports, the latest round's races + their results, crews and penalties (the
    # podiums and sprint winners), the season's competitions, their results, penalties and crews
    # (standings), the rounds still to run + their races (the next start), menu
    "/": 13,
    # season, competitions, their results, penalties and crews (winners), rounds, their races, menu
    "/2024/": 8,
    # round, races (with their competitions), the competitions' results, penalties and crews
    # (winners), reports, menu
    "/2024/montreal/": 7,
    # race + results, crews, penalties, grid, stints, stops, incidents, sources, conflicting values;
    # reports; the versions of its results, grid, penalties and the race (Corrections: six more
    # when it has any, the standings before and after); menu
    "/2024/montreal/nations-cup/main-race/": 16,
    # competition, its results, penalties and crews, its races (run or not) and the rounds still
    # without one (the title race), menu
    "/2024/nations-cup/standings/": 7,
    "/2024/nations-cup/standings/?after_race=montreal/sprint-race": 7,
    "/2024/nations-cup/title/": 7,
    "/2024/nations-cup/title/?after_round=1": 7,
    # season (or competition), its races with a day (with round, competition, track)
    "/2024/calendar.ics": 2,
    "/2024/nations-cup/calendar.ics": 2,
    # report, its races + results, crews, penalties, grid, stints, stops, incidents, sources,
    # conflicts; comment count, the paginator's count, threads and their replies; menu
    REPORT: 16,
    # driver, races + results, crews and penalties, championships + their results, penalties
    # and crews, menu
    "/drivers/takuma-miyazono/": 10,
    # drivers, races + results, crews and penalties, menu
    "/nations/jp/": 6,
    # team, races (in its cars: every main-race entry) + results, crews and penalties, the cars it
    # makes, menu
    "/teams/red-bull/": 7,
    # car (with its maker), races (every main-race entry drove it) + results, crews and penalties, menu
    "/cars/red-bull-x2019-competition/": 6,
    # track, races + results, crews and penalties, menu
    "/tracks/michelin-raceway-road-atlanta/": 6,
    # one each for drivers, nations (the codes drivers race for), competitions, teams, cars, tracks,
    # rounds and reports (results.read.search), menu
    "/search/?q=miyazono": 9,
    "/search/?q=nations+cup+standings": 9,
    # indexes: the paginator's count, the page's rows, menu
    "/drivers/": 3,
    "/drivers/?page=1": 3,
    "/teams/": 3,
    "/tracks/": 3,
    "/cars/": 3,
    "/reports/": 3,
    # the nations with their number of drivers (one page of a short list), menu
    "/nations/": 2,
    # no round of that slug, the competition, its results, penalties and crews (winners and
    # standings), the season's rounds, their races, menu
    "/2024/nations-cup/": 8,
    # competition, its results, penalties and crews
    "/api/v1/2024/nations-cup/standings/": 4,
    "/api/v1/2024/nations-cup/standings.csv": 4,
    "/api/v1/2024/nations-cup/standings/?after_race=montreal/main-race": 4,
    # the same, with the races and the rounds without one (the title race)
    "/api/v1/2024/nations-cup/title/": 6,
    "/api/v1/2024/nations-cup/title/?after_race=montreal/sprint-race": 6,
    # race + results, crews, penalties, grid, stints, stops, incidents, sources, conflicting
    # values; reports; the versions of its results, grid, penalties and the race (the corrections)
    "/api/v1/2024/nations-cup/montreal/main-race/results/": 15,
    # the same without the versions: the CSV shows no corrections
    "/api/v1/2024/nations-cup/montreal/main-race/results.csv": 11,
    # season, rounds, their races
    "/api/v1/2024/calendar/": 3,
}


def cold_page(client, django_assert_num_queries, url, queries):
    """The page at ``url``, rendered from empty caches in exactly ``queries`` SQL queries."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


def comment_on_the_report(count):
    """``count`` comments on the demo report from a new fan, each with a reply."""
    user = get_user_model().objects.create_user(f"fan{Comment.objects.count()}", "fan@example.com", "x")
    report = RaceReport.objects.get(slug=REPORT.split("/")[2])
    for number in range(count):
        top = Comment.objects.create(report=report, author=user, body=f"Comment {number}")
        Comment.objects.create(report=report, author=user, body=f"Reply {number}", parent=top)


def add_a_round_of_results(season_year=2024):
    """Prague raced with a sprint and a main race, grids, stints, stops, penalties and a report."""
    season = Season.objects.get(year=season_year)
    prague = Round.objects.get(season=season, number=2)
    cup = season.competitions.get()
    sprint = factories.race(prague, cup, number=1, name="Sprint Race", kind="sprint", laps=7)
    main = factories.race(
        prague,
        cup,
        number=2,
        name="Main Race",
        laps=30,
        points_scale=[6, 5, 4, 3, 2, 1],
        required_compounds=["S", "M"],
        grid_from=sprint,
    )
    drivers = [result.driver for result in cup.races.first().results.all()][:4]
    for position, driver in enumerate(drivers, start=1):
        for race in (sprint, main):
            Result.objects.create(
                race=race, driver=driver, position=position, laps=race.laps, gap=f"+{position}.000"
            )
            race.grid_slots.create(driver=driver, position=position, compound="S")
            race.stints.create(driver=driver, compound="S", first_lap=1, last_lap=race.laps)
            race.pit_stops.create(driver=driver, lap=3)
            race.penalties.create(driver=driver, seconds=1, reason="Track limits")
    prague.status = Round.Status.COMPLETED
    prague.save()
    RaceReport.objects.create(
        round=prague,
        title="Prague report",
        slug="prague-report",
        body="Text",
        is_published=True,
        published_at=RaceReport.objects.get().published_at,
    ).races.set([sprint, main])


def add_a_report_on_the_montreal_main_race():
    race = Race.objects.get(round__season__year=2024, round__number=1, slug="main-race")
    RaceReport.objects.create(
        round=race.round,
        title="Montréal, the morning after",
        slug="montreal-the-morning-after",
        body="Text",
        is_published=True,
        published_at=RaceReport.objects.get(slug=REPORT.split("/")[2]).published_at,
    ).races.set([race])


def add_entries_to_the_montreal_main_race(count):
    """``count`` more entries in the Montréal main race, each with a grid slot, stint, stop, penalty,
    incident and a second driver sharing the car."""
    race = Race.objects.get(round__season__year=2024, round__number=1, slug="main-race")
    for offset in range(count):
        driver = factories.driver(nation="JP")
        position = 13 + offset
        result = Result.objects.create(
            race=race, driver=driver, position=position, laps=35, gap=f"+{position}.000"
        )
        race.crew_members.create(result=result, driver=factories.driver(nation="JP"), order=2)
        race.incidents.create(driver=driver, lap=offset + 1, description="Contact at Turn 1")
        race.grid_slots.create(driver=driver, position=position, compound="H")
        race.stints.create(driver=driver, compound="H", first_lap=1, last_lap=35)
        race.pit_stops.create(driver=driver, lap=20)
        race.penalties.create(driver=driver, seconds=5, reason="Track limits", is_added_after_finish=True)


@pytest.mark.parametrize("url", QUERIES)
def test_each_page_runs_its_pinned_number_of_queries(client, demo, django_assert_num_queries, url):
    comment_on_the_report(3)
    cold_page(client, django_assert_num_queries, url, QUERIES[url])


@pytest.mark.parametrize("url", QUERIES)
def test_the_number_of_queries_does_not_grow_with_the_rows(client, demo, django_assert_num_queries, url):
    comment_on_the_report(1)
    add_a_round_of_results()
    add_entries_to_the_montreal_main_race(10)
    add_a_report_on_the_montreal_main_race()
    comment_on_the_report(5)
    factories.driver("Takuma Miyazono-Clone", nation="JP")
    cold_page(client, django_assert_num_queries, url, QUERIES[url])


@pytest.fixture
def season_2030(db):
    import_season(read(json.loads((Path(__file__).parent / "data" / "season-2030.json").read_text())))


SEASON_2030 = {
    "/2030/": 8,
    "/2030/alpha/": 7,
    "/2030/alpha/test-cup/main-race/": 16,
    "/2030/test-cup/standings/": 7,
    "/2030/shared-cup/standings/": 7,
    "/2030/test-cup/title/": 7,
    "/api/v1/2030/test-cup/standings/": 4,
    "/api/v1/2030/test-cup/title/": 6,
    "/api/v1/2030/calendar/": 3,
    "/api/v1/2030/test-cup/alpha/main-race/results/": 15,
}


@pytest.mark.parametrize("url", SEASON_2030)
def test_a_season_of_several_competitions_and_rounds_runs_the_same_queries(
    client, season_2030, django_assert_num_queries, url
):
    cold_page(client, django_assert_num_queries, url, SEASON_2030[url])
    season = factories.season(2030)
    competition = Competition.objects.get(season=season, slug="test-cup")
    race = Race.objects.get(round__season=season, round__number=1, competition=competition, slug="main-race")
    for position in range(5, 15):
        driver = factories.driver()
        Result.objects.create(race=race, driver=driver, position=position, laps=10, gap="+5.000")
        race.stints.create(driver=driver, compound="S", first_lap=1, last_lap=10)
        race.penalties.create(driver=driver, seconds=1, reason="Track limits")
        race.grid_slots.create(driver=driver, position=position)
    factories.race(factories.round_(season, 4, "Delta"), competition, points_scale=[10, 6, 4, 3])
    cold_page(client, django_assert_num_queries, url, SEASON_2030[url])
