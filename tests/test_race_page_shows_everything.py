"""Everything stored is shown: the lap-by-lap timeline of penalties, stops and incidents, penalties
of drivers without a result row, a driver's figures per competition, and the biggest gainer only
from a complete grid."""

import re

import pytest
from django.urls import reverse

from results.models import Competition, Result, Team

from . import factories
from .test_pages import page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def race():
    season = factories.season(2024)
    prague = factories.round_(season, 2, "Prague")
    cup = factories.competition(season, "Nations Cup")
    race = factories.race(prague, cup, name="Main Race", points_scale=[6, 5, 4])
    ann, bob, cy, dee = (factories.driver(name) for name in ("Ann Arbor", "Bob Brno", "Cy Cork", "Dee Dover"))
    for position, (driver, grid) in enumerate([(ann, 3), (bob, 1), (cy, 2)], start=1):
        Result.objects.create(race=race, driver=driver, position=position, laps=10)
        race.grid_slots.create(driver=driver, position=grid)
    race.pit_stops.create(driver=ann, lap=3, duration_seconds="23.40")
    race.incidents.create(driver=bob, lap=5, description="Spun at the hairpin")
    race.penalties.create(driver=cy, lap=7, seconds=5, reason="Track limits")
    race.penalties.create(driver=dee, reason="Unsafe release")  # Dee has no result row
    return race


def timeline_rows(html):
    table = re.search(r'<table class="table table-sm align-middle timeline".*?</table>', html, flags=re.S)
    assert table, "no timeline on the page"
    return [text_of(row) for row in re.findall(r"<tr class=.*?</tr>", table.group(0), flags=re.S)]


def test_the_race_page_lists_stops_incidents_and_penalties_lap_by_lap(client, race):
    rows = timeline_rows(page(client, race.get_absolute_url()))
    assert len(rows) == 4
    assert re.fullmatch(r"3 Ann Arbor Pit stop : 23.4 s in the pit lane", rows[0])
    assert re.fullmatch(r"5 Bob Brno Incident : Spun at the hairpin", rows[1])
    assert re.fullmatch(r"7 Cy Cork Penalty : 5 s, Track limits", rows[2])
    assert re.fullmatch(r"– Dee Dover not in the results above Penalty : Unsafe release", rows[3])


def test_a_penalty_of_a_driver_without_a_result_is_shown_and_counted(client, race):
    html = text_of(page(client, race.get_absolute_url()))
    assert "Dee Dover" in html
    assert "2 penalties given." in html
    url = reverse("api:race-results", args=[2024, "nations-cup", "prague", "main-race"])
    answer = client.get(url).json()
    assert [p["driver"] for p in answer["penalties"]] == ["Cy Cork", "Dee Dover"]
    assert answer["timeline"][1] == {
        "lap": 5,
        "kind": "incident",
        "driver": "Bob Brno",
        "text": "Spun at the hairpin",
    }


def test_the_biggest_gainer_is_named_from_a_complete_grid(client, race):
    html = text_of(page(client, race.get_absolute_url()))
    assert re.search(r"Biggest gainer: Ann Arbor , from 3 to 1 \(\+2\)", html)


def test_no_biggest_gainer_is_claimed_from_a_partial_grid(client, race):
    race.grid_slots.filter(driver__name="Cy Cork").delete()
    html = text_of(page(client, race.get_absolute_url()))
    assert "Biggest gainer: not known (the grid does not have every finisher)" in html
    assert "from 3 to 1" not in html


def test_a_drivers_page_gives_figures_per_competition(client, race):
    ann = race.results.get(position=1).driver
    manufacturers = factories.competition(
        race.round.season, "Manufacturers Cup", scores=Competition.Scores.TEAM
    )
    brand_race = factories.race(race.round, manufacturers, name="Main Race", points_scale=[10, 8])
    Result.objects.create(
        race=brand_race, driver=ann, team=Team.objects.create(name="Mazda", slug="mazda"), position=2, laps=10
    )
    html = page(client, ann.get_absolute_url())
    table = re.search(r'<table[^>]*id="by-competition".*?</table>', html, flags=re.S).group(0)
    rows = [text_of(row) for row in re.findall(r"<tr><th scope=\"row\".*?</tr>", table, flags=re.S)]
    assert sorted(rows) == [
        "Manufacturers Cup 2024 1 0 1 8 2 not scored by driver",
        "Nations Cup 2024 1 1 1 6 1 1st with 6 points",
    ]
    assert "14" not in text_of(html)  # the two cups' points are never added into one figure
