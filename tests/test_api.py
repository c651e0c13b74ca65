"""The open-data API and the race and standings pages: exact figures, never stale, fixed queries."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from results.api.spreadsheets import neutralised
from results.exchange.importer import import_season
from results.exchange.validate import read
from results.models import Driver, Race, Result

from . import factories

pytestmark = pytest.mark.django_db

MONTREAL = [
    (1, "Takuma Miyazono", 6),
    (2, "Jose Serrano", 5),
    (3, "Coque López", 4),
    (4, "Kaj de Bruin", 3),
    (5, "Takuma Sasaki", 2),
    (6, "Valerio Gallo", 1),
    (7, "Calen Roach", 0),
    (7, "Robert Heck", 0),
    (7, "Adriano Carrazza", 0),
    (7, "Kylian Drumont", 0),
    (7, "Angel Inostroza", 0),
    (7, "Guy Barbara", 0),
]


@pytest.fixture
def season_2030(db):
    import_season(read(json.loads((Path(__file__).parent / "data" / "season-2030.json").read_text())))


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_montreal_standings_over_the_api(client, demo):
    data = get_json(client, "/api/v1/2024/nations-cup/standings/")
    assert (data["season"], data["competition"], data["after_round"]) == (2024, "nations-cup", 1)
    assert [(r["position"], r["name"], r["points"]) for r in data["standings"]] == MONTREAL
    assert data["standings"][0] | {"round_points": None} == {
        "position": 1,
        "name": "Takuma Miyazono",
        "nation": "JP",
        "points": 6,
        "wins": 1,
        "podiums": 1,
        "round_points": None,
        "previous_position": None,
        "movement": None,
        "shared": False,
        "tie_break": None,
    }


def test_montreal_standings_on_the_page(client, demo):
    response = client.get(reverse("results:standings", args=[2024, "nations-cup"]))
    rows = [(row.position, row.name, row.points) for row in response.context["data"].rows]
    assert rows == MONTREAL
    page = response.content.decode()
    assert "=7" in page and "Takuma Miyazono" in page


def test_the_main_race_over_the_api(client, demo):
    data = get_json(client, "/api/v1/2024/nations-cup/montreal/main-race/results/")
    rows = data["results"]
    assert [(r["position"], r["driver"], r["gap"], r["points"]) for r in rows[:3]] == [
        (1, "Takuma Miyazono", "35 laps", 6),
        (2, "Jose Serrano", "+1.0684", 5),
        (3, "Coque López", "+5.678", 4),
    ]
    assert rows[8]["gap"] == "+43.476" and rows[8]["published_gap"] == "+ 43.476"
    assert rows[0]["penalties"] == [
        {"lap": None, "seconds": "0.5", "reason": "Track limits", "certainty": "stated", "reasoning": None},
        {"lap": None, "seconds": None, "reason": "Track limits", "certainty": "stated", "reasoning": None},
    ]
    assert (rows[9]["driver"], rows[9]["grid"], rows[9]["places_gained"], rows[9]["pit_stops"]) == (
        "Kylian Drumont",
        1,
        -9,
        [10],
    )
    # The report gives only part of each strategy: nobody is accused of a breach.
    assert {r["mandatory_tyres"] for r in rows} == {"unknown"}


def test_the_calendar_lists_montreal_done_and_prague_next(client, demo):
    data = get_json(client, "/api/v1/2024/calendar/")
    assert [(r["number"], r["city"], r["status"]) for r in data["rounds"]] == [
        (1, "Montréal", "completed"),
        (2, "Prague", "scheduled"),
    ]
    races = data["rounds"][0]["races"]
    assert [r["results"] for r in races] == [
        "/api/v1/2024/nations-cup/montreal/sprint-race/results/",
        "/api/v1/2024/nations-cup/montreal/main-race/results/",
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/1999/calendar/", "There is no 1999 season."),
        ("/api/v1/2024/kart-cup/standings/", "There is no competition “kart-cup” in 2024."),
        (
            "/api/v1/2024/nations-cup/tokyo/main-race/results/",
            "There is no race “main-race” of the nations-cup at tokyo in 2024.",
        ),
        (
            "/api/v1/2024/nations-cup/montreal/final/results.csv",
            "There is no race “final” of the nations-cup at montreal in 2024.",
        ),
    ],
)
def test_unknown_seasons_competitions_rounds_and_races_answer_404_in_json(client, demo, url, message):
    assert get_json(client, url, status=404) == {"error": message}


def test_a_bad_after_round_answers_400(client, demo):
    data = get_json(client, "/api/v1/2024/nations-cup/standings/?after_round=first", status=400)
    assert data == {"error": "after_round must be a round number (1, 2, …), not “first”."}


def test_standings_after_each_round_of_the_test_season(client, season_2030):
    def table(after):
        data = get_json(client, f"/api/v1/2030/test-cup/standings/?after_round={after}")
        return [(r["position"], r["name"], r["points"], r["movement"]) for r in data["standings"]]

    assert table(1) == [(1, "Ann", 10, None), (2, "Bob", 6, None), (3, "Cat", 4, None), (4, "Dan", 3, None)]
    assert table(2) == [(1, "Bob", 16, 1), (2, "Ann", 10, -1), (3, "Cat", 10, 0), (4, "Dan", 7, 0)]
    assert table(3) == [(1, "Cat", 30, 2), (2, "Dan", 19, 2), (3, "Bob", 18, -2), (4, "Ann", 18, -2)]
    shared = get_json(client, "/api/v1/2030/shared-cup/standings/")["standings"]
    assert [(r["position"], r["name"], r["nation"], r["points"]) for r in shared] == [
        (1, "France", "FR", 8),
        (1, "Germany", "DE", 8),
        (3, "Italy", "IT", 2),
    ]


def test_the_standings_page_says_where_countback_decided(client, season_2030):
    page = client.get("/2030/test-cup/standings/?after_round=2").content.decode()
    assert "Ahead of Cat on countback: 1 win to 0." in page


def test_the_results_page_flags_a_mandatory_tyre_breach(client, season_2030):
    page = client.get("/2030/alpha/test-cup/main-race/").content.decode()
    assert "Did not use medium" in page


def test_csv_downloads_of_standings_and_results(client, demo):
    standings = client.get("/api/v1/2024/nations-cup/standings.csv")
    assert (
        standings["Content-Disposition"]
        == 'attachment; filename="gtws-2024-nations-cup-standings-after-round-1.csv"'
    )
    rows = list(csv.reader(io.StringIO(standings.content.decode())))
    assert rows[0] == ["position", "name", "nation", "points", "wins", "podiums", "round 1"]
    assert rows[1] == ["1", "Takuma Miyazono", "JP", "6", "1", "1", "6"]
    results = list(
        csv.reader(
            io.StringIO(
                client.get("/api/v1/2024/nations-cup/montreal/main-race/results.csv").content.decode()
            )
        )
    )
    assert results[10][:2] == ["10", "Kylian Drumont"] and results[10][7] == "+1:05.950"


def test_conditional_requests_answer_304_until_the_data_changes(client, demo):
    url = "/api/v1/2024/nations-cup/standings/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    # An editor fixes a result: the very next request sees it.
    Result.objects.filter(race__slug="main-race", driver__name="Valerio Gallo").update(points=3)
    Result.objects.get(race__slug="main-race", driver__name="Valerio Gallo").save()

    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    gallo = next(r for r in fresh.json()["standings"] if r["name"] == "Valerio Gallo")
    assert gallo["points"] == 3


def test_an_import_shows_on_the_next_request(client, demo):
    url = "/api/v1/2030/calendar/"
    assert client.get(url).status_code == 404
    import_season(read(json.loads((Path(__file__).parent / "data" / "season-2030.json").read_text())))
    assert client.get(url).status_code == 200


def test_a_penalty_added_after_the_finish_changes_the_classification_and_the_points(client, demo):
    race = Race.objects.get(slug="main-race")
    serrano = race.results.get(driver__name="Jose Serrano").driver
    race.penalties.create(driver=serrano, seconds=5, reason="Unsafe rejoin", is_added_after_finish=True)

    rows = get_json(client, "/api/v1/2024/nations-cup/montreal/main-race/results/")["results"]

    assert [(r["position"], r["driver"], r["gap"], r["points"]) for r in rows[1:3]] == [
        (2, "Coque López", "+5.678", 5),
        (3, "Jose Serrano", "+6.0684", 4),
    ]
    standings = get_json(client, "/api/v1/2024/nations-cup/standings/")["standings"]
    assert [(r["name"], r["points"]) for r in standings[1:3]] == [("Coque López", 5), ("Jose Serrano", 4)]


def test_a_competition_scored_by_team_adds_its_drivers_points(client, db):
    from results.models import Team

    season = factories.season(2031)
    cup = factories.competition(season, "Manufacturers Cup", scores="team", tie_break="countback")
    race = factories.race(factories.round_(season, 1, "Tokyo"), cup, points_scale=[10, 6, 4, 3])
    porsche = Team.objects.create(name="Porsche", slug="porsche")
    toyota = Team.objects.create(name="Toyota", slug="toyota")
    for position, team in enumerate([toyota, porsche, porsche, toyota], start=1):
        Result.objects.create(race=race, driver=factories.driver(), team=team, position=position, laps=10)

    rows = get_json(client, "/api/v1/2031/manufacturers-cup/standings/")["standings"]

    # Toyota 10 + 3 = 13, Porsche 6 + 4 = 10.
    assert [(r["position"], r["name"], r["points"], r["wins"], r["nation"]) for r in rows] == [
        (1, "Toyota", 13, 1, None),
        (2, "Porsche", 10, 0, None),
    ]


def csv_rows(client, url):
    return list(csv.reader(io.StringIO(client.get(url).content.decode())))


def test_names_that_a_spreadsheet_would_run_as_formulas_are_written_as_text(client, demo):
    hostile = {
        "Takuma Miyazono": '=HYPERLINK("http://x")',
        "Jose Serrano": "@SUM(A1)",
        "Coque López": "+cmd",
        "Kaj de Bruin": "-cmd",
        "Takuma Sasaki": "\tx",
    }
    for name, new_name in hostile.items():
        Driver.objects.filter(name=name).update(name=new_name)
    results = csv_rows(client, "/api/v1/2024/nations-cup/montreal/main-race/results.csv")
    assert [row[1] for row in results[1:6]] == [
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'+cmd",
        "'-cmd",
        "'\tx",
    ]
    assert [row[7] for row in (results[2], results[10])] == ["+1.0684", "+1:05.950"]  # gaps stay numbers
    standings = csv_rows(client, "/api/v1/2024/nations-cup/standings.csv")
    assert standings[1][:2] == ["1", '\'=HYPERLINK("http://x")']


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),  # a number first does not make it one
        ("+1.0684", "+1.0684"),
        ("+1:05.950", "+1:05.950"),
        ("+ 43.476", "+ 43.476"),
        ("+2 laps", "+2 laps"),
        ("-1", "-1"),
        ("-3", "-3"),
        ("Kaj de Bruin", "Kaj de Bruin"),
        (7, 7),
    ],
)
def test_a_csv_cell_is_neutralised_only_when_a_spreadsheet_would_read_a_formula(cell, written):
    assert neutralised(cell) == written
