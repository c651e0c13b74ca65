"""The data tables as fans read them: a column is drawn only where the race gives it something to
say, every team links to its page, and a phone row keeps place, name, gap and points (the rest on a
second line drawn only on phones; tests/e2e/test_tables_on_a_phone.py measures it in a browser)."""

import re

import pytest

from results.models import Car, Competition, Result, Team

from . import factories
from .test_pages import MAIN_RACE, PHONE_COPY, page, text_of

pytestmark = pytest.mark.django_db

SPRINT = "/2024/montreal/nations-cup/sprint-race/"


def table(html, table_id):
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert found, f"no table #{table_id}"
    return found.group(0)


def headings(table_html):
    """The column headings a wide screen draws."""
    return [text_of(cell) for cell in re.findall(r'<th scope="col".*?</th>', table_html, flags=re.S)]


def wide_rows(table_html):
    """Each body row as a wide screen shows it: the phone's second line (.row-more) left out."""
    without_phone = PHONE_COPY.sub("", table_html)
    body = re.search(r"<tbody>(.*)</tbody>", without_phone, flags=re.S).group(1)
    return [text_of(row) for row in re.findall(r"<tr>.*?</tr>", body, flags=re.S)]


def phone_rows(table_html):
    """Each body row as a phone shows it: the columns drawn from 768 px on (.col-more) left out."""
    cells = r'<(td|th)[^>]*class="[^"]*\bcol-more\b[^"]*"[^>]*>.*?</\1>'
    without_wide = re.sub(cells, "", table_html, flags=re.S)
    body = re.search(r"<tbody>(.*)</tbody>", without_wide, flags=re.S).group(1)
    rows = re.findall(r"<tr>.*?</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>|[\U0001f1e6-\U0001f1ff]", " ", row).split()) for row in rows]


@pytest.fixture
def race():
    """Prague's main race over 10 laps: a winner, a lapped car, a retirement, each in a car of their own."""
    season = factories.season(2024)
    cup = factories.competition(season, "Nations Cup")
    race = factories.race(
        factories.round_(season, 2, "Prague"), cup, name="Main Race", points_scale=[6, 5, 4]
    )
    mazda = Team.objects.create(name="Mazda", slug="mazda")
    entries = [
        ("Ann Arbor", {"position": 1, "laps": 10, "time": "20:01.500"}),
        ("Bob Brno", {"position": 2, "laps": 9, "gap": "+1 lap"}),
        ("Cy Cork", {"status": "dnf", "laps": 4}),
    ]
    for number, (name, fields) in enumerate(entries):
        car = Car.objects.create(name=f"Car {number}", slug=f"car-{number}", manufacturer=mazda)
        Result.objects.create(race=race, driver=factories.driver(name), car=car, **fields)
    return race


def test_a_race_that_awards_no_points_has_no_points_column(client, demo):
    sprint = table(page(client, SPRINT), "results-nations-cup-sprint-race")
    assert "Pts" not in headings(sprint)
    assert "no points" in text_of(sprint)
    assert wide_rows(sprint)[0].startswith("1 Kylian Drumont France")
    assert headings(table(page(client, MAIN_RACE), "results-nations-cup-main-race"))[-1] == "Pts"


def test_one_car_for_everyone_is_named_once_above_the_table(client, demo):
    html = page(client, MAIN_RACE)
    results = table(html, "results-nations-cup-main-race")
    assert headings(results) == [
        "Pos",
        "Driver",
        "Time / gap",
        "Grid",
        "Tyres",
        "Pit stops",
        "Penalties",
        "Pts",
    ]
    assert "Red Bull X2019" not in results
    main = re.search(r"<main.*</main>", html, flags=re.S).group(0)
    assert text_of(main).count("Red Bull X2019 Competition") == 1
    assert "35 laps, every driver in the Red Bull X2019 Competition" in text_of(main)


def test_a_race_without_a_car_of_its_own_names_the_one_car_everyone_drove_in_the_caption(client, race):
    rx = Car.objects.create(name="Mazda RX-Vision GT3", slug="mazda-rx-vision-gt3")
    race.results.update(car=rx)
    results = table(page(client, race.get_absolute_url()), "results-nations-cup-main-race")
    assert "Car" not in headings(results)
    assert text_of(results).count("Mazda RX-Vision GT3") == 1
    assert "classification; points 6-5-4; every driver in the Mazda RX-Vision GT3." in text_of(results)


def test_cars_that_differ_get_a_column(client, race):
    results = table(page(client, race.get_absolute_url()), "results-nations-cup-main-race")
    assert headings(results)[2] == "Car"
    assert wide_rows(results)[1].startswith("2 Bob Brno France Car 1 Mazda")


def test_penalty_tyre_stop_and_grid_columns_only_where_a_row_has_one(client, race):
    url = race.get_absolute_url()
    assert headings(table(page(client, url), "results-nations-cup-main-race")) == [
        "Pos",
        "Driver",
        "Car",
        "Time / gap",
        "Pts",
    ]
    bob = race.results.get(position=2).driver
    race.penalties.create(driver=bob, lap=3, seconds=5, reason="Track limits")
    race.pit_stops.create(driver=bob, lap=5)
    race.stints.create(driver=bob, compound="M", first_lap=1, last_lap=9)
    race.grid_slots.create(driver=bob, position=1)
    results = table(page(client, url), "results-nations-cup-main-race")
    assert headings(results) == [
        *("Pos", "Driver", "Car", "Time / gap", "Grid", "Tyres", "Pit stops", "Penalties", "Pts"),
    ]
    assert "1 (5 s) Track limits 5 s" in wide_rows(results)[1]
    assert "Penalties 1 (5 s) Track limits 5 s" in phone_rows(results)[1]
    # every part of a row reads the same in its column and on the phone's second line
    assert "+1 lap 9 laps 1 (−1) M Medium lap 5 1 (5 s)" in wide_rows(results)[1]
    assert "Car Car 1 Mazda Grid 1 (−1) Tyres M Medium Pit stops lap 5 Penalties" in phone_rows(results)[1]


def test_laps_are_shown_only_where_they_differ_from_the_distance(client, race):
    rows = wide_rows(table(page(client, race.get_absolute_url()), "results-nations-cup-main-race"))
    assert rows[0] == "1 Ann Arbor France Car 0 Mazda 20:01.500 6"
    assert rows[1] == "2 Bob Brno France Car 1 Mazda +1 lap 9 laps 5"
    assert rows[2] == "DNF Cy Cork France Did not finish Car 2 Mazda N/A 4 laps 0"


def test_a_timed_race_keeps_a_laps_column(client, race):
    race.laps, race.is_timed = None, True
    race.save()
    results = table(page(client, race.get_absolute_url()), "results-nations-cup-main-race")
    assert "Laps" in headings(results)
    assert wide_rows(results)[1] == "2 Bob Brno France Car 1 Mazda 9 +1 lap 5"
    assert "Laps 9" in phone_rows(results)[1]


def test_a_phone_row_keeps_place_driver_gap_and_points_and_moves_the_rest_to_a_second_line(client, demo):
    rows = phone_rows(table(page(client, MAIN_RACE), "results-nations-cup-main-race"))
    assert rows[0] == (
        "1 Takuma Miyazono Japan Grid 2 (+1) Tyres M Medium Penalties 2 (0.5 s) Track limits 0.5 s; "
        "Track limits 35 laps 6"
    )
    assert rows[9] == "10 Kylian Drumont France Grid 1 (−9) Tyres S Soft Pit stops lap 10 +1:05.950 0"
    standings = phone_rows(table(page(client, "/2024/nations-cup/standings/"), "standings"))
    assert standings[0] == "1 Takuma Miyazono Wins 1 Podiums 1 – 6"


def test_standings_after_one_round_do_not_repeat_the_total_as_its_round(client, demo):
    standings = table(page(client, "/2024/nations-cup/standings/"), "standings")
    assert headings(standings) == ["Pos", "Drivers", "Wins", "Podiums", "Gap", "Points"]
    assert wide_rows(standings)[0] == "1 Takuma Miyazono 1 1 – 6"
    assert wide_rows(standings)[2] == "3 Coque López 0 1 −2 4"


def test_every_team_in_a_table_links_to_its_page(client, race):
    season = race.round.season
    brands = factories.competition(season, "Manufacturers Cup", scores=Competition.Scores.TEAM)
    brand_race = factories.race(race.round, brands, number=2, name="Brand Race", points_scale=[10, 8])
    ann = race.results.get(position=1).driver
    toyota = Team.objects.create(name="Toyota Gazoo Racing", slug="toyota-gazoo-racing")
    Result.objects.create(race=brand_race, driver=ann, team=toyota, position=1, laps=10)
    link = '<a href="/teams/toyota-gazoo-racing/">Toyota Gazoo Racing</a>'

    results = table(page(client, brand_race.get_absolute_url()), "results-manufacturers-cup-brand-race")
    assert headings(results)[2] == "Team"
    assert results.count(link) == 2  # the wide column and the phone's second line
    assert link in table(page(client, "/2024/manufacturers-cup/standings/"), "standings")
    assert link in page(client, "/2024/manufacturers-cup/")
    history = table(page(client, ann.get_absolute_url()), "history")
    assert "Team" in headings(history)
    assert history.count(link) == 2


def test_a_history_gives_no_points_figure_for_a_race_that_awards_none(client, demo):
    rows = wide_rows(table(page(client, "/drivers/kylian-drumont/"), "history"))
    assert rows == [
        "2024 Montréal Nations Cup Main Race 10 +1:05.950 0",
        "2024 Montréal Nations Cup Sprint Race 1 7 laps –",
    ]
