"""Crews: several drivers sharing one car (the Manufacturers Cup World Finals relay), as fans and
editors see them, and the rule of what a crew's drivers score."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from results.models import Competition, CrewMember, Result, Team
from results.rules.crews import EACH, NONE, CrewSeat, crew_scores, driver_points
from results.rules.standings import Score, standings

from . import factories
from .admin_forms import add_rows, form_data
from .test_pages import page, text_of

# The Toyota crew as a fan reads it (pages link each name, so a space may stand before a comma).
TOYOTA_CREW = "Takuma Miyazono ?, Kylian Drumont ?, Tomoaki Yamanaka"
PORSCHE_CREW = "Mikail Hizal ?, Jonny Edgar ?, Adam Wood"

# --- The rule, over plain data ---------------------------------------------------------------------


def test_a_crew_of_one_scores_for_its_driver_whatever_the_competition_says():
    assert driver_points(12, 1, NONE) == 12
    assert driver_points(12, 1, EACH) == 12


def test_each_driver_of_a_crew_scores_the_cars_points_or_none_does():
    assert driver_points(12, 3, EACH) == 12
    assert driver_points(12, 3, NONE) == 0


def test_crew_scores_give_every_driver_the_entrys_place_and_the_points_the_rule_gives():
    score = Score(round=1, race=7, competitor="ann", name="Ann", position=1, points=10)
    seats = [CrewSeat("bob", "Bob"), CrewSeat("cy", "Cy")]
    each = crew_scores(score, seats, EACH)
    assert [(s.competitor, s.position, s.points) for s in each] == [
        ("ann", 1, 10),
        ("bob", 1, 10),
        ("cy", 1, 10),
    ]
    table = standings(each)
    assert [(row.name, row.points, row.wins) for row in table] == [
        ("Ann", 10, 1),
        ("Bob", 10, 1),
        ("Cy", 10, 1),
    ]
    none = crew_scores(score, seats, NONE)
    assert [s.points for s in none] == [0, 0, 0]
    assert [row.wins for row in standings(none)] == [1, 1, 1]


# --- The World Finals relay, through the pages -----------------------------------------------------


@pytest.fixture
def relay(db):
    """The Manufacturers Cup World Finals: two brands, three drivers each sharing one car; the same
    race scored for brands (Manufacturers Cup) and, in a second competition, for drivers."""
    season = factories.season(2024)
    final = factories.round_(season, 8, "Barcelona")
    cup = factories.competition(season, "Manufacturers Cup", scores=Competition.Scores.TEAM)
    drivers_cup = factories.competition(season, "Relay Drivers", scores=Competition.Scores.DRIVER)
    toyota = Team.objects.create(name="Toyota", slug="toyota")
    porsche = Team.objects.create(name="Porsche", slug="porsche")
    nations = {
        "Takuma Miyazono": "JP",
        "Kylian Drumont": "FR",
        "Tomoaki Yamanaka": "JP",
        "Mikail Hizal": "DE",
        "Jonny Edgar": "GB",
        "Adam Wood": "GB",
    }
    names = list(nations)
    people = {name: factories.driver(name, nation) for name, nation in nations.items()}
    races = {}
    for competition in (cup, drivers_cup):
        race = factories.race(final, competition, name="World Final", points_scale=[10, 8])
        for position, (team, crew) in enumerate([(toyota, names[:3]), (porsche, names[3:])], start=1):
            result = Result.objects.create(
                race=race, driver=people[crew[0]], team=team, position=position, laps=10
            )
            for order, name in enumerate(crew[1:], start=2):
                CrewMember.objects.create(race=race, result=result, driver=people[name], order=order)
        races[competition.slug] = race
    return {"cup": cup, "drivers_cup": drivers_cup, "races": races, "people": people}


def test_the_race_page_shows_each_crew_on_one_row(client, relay):
    html = page(client, relay["races"]["manufacturers-cup"].get_absolute_url())
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    toyota = next(text_of(row) for row in rows if "Toyota" in row)
    assert re.search(r"Takuma Miyazono ?, Kylian Drumont ?, Tomoaki Yamanaka", toyota)
    assert "Crew of 3 sharing one car" in toyota
    assert 'href="/drivers/kylian-drumont/"' in html
    assert "Mikail Hizal" not in toyota


def test_the_team_scores_a_crewed_car_once(client, relay):
    html = text_of(page(client, "/2024/manufacturers-cup/standings/"))
    assert re.search(r"1 Toyota .*? 10 ", html)
    assert re.search(r"2 Porsche .*? 8 ", html)


def test_each_driver_of_a_crew_scores_when_the_competition_says_so(client, relay):
    html = text_of(page(client, "/2024/relay-drivers/standings/"))
    for name in ("Takuma Miyazono", "Kylian Drumont", "Tomoaki Yamanaka"):
        assert re.search(rf"=1 {name} 1 1 – 10", html), name  # wins, podiums, gap, points
    for name in ("Mikail Hizal", "Jonny Edgar", "Adam Wood"):
        assert re.search(rf"=4 {name} 0 1 −2 8", html), name


def test_no_driver_of_a_crew_scores_when_the_competition_says_none(client, relay):
    Competition.objects.filter(pk=relay["drivers_cup"].pk).update(crew_points=Competition.CrewPoints.NONE)
    html = text_of(page(client, "/2024/relay-drivers/standings/"))
    # Nobody scores: every driver shares first place on 0 points, the winners' crew with its win.
    assert re.search(r"=1 Kylian Drumont 1 1 – 0", html)
    assert re.search(r"=1 Adam Wood 0 1 – 0", html)
    team_html = text_of(page(client, "/2024/manufacturers-cup/standings/"))
    assert re.search(r"1 Toyota .*? 10 ", team_html)  # the team still scores


def test_a_drivers_page_lists_the_races_they_shared_a_car_in(client, relay):
    html = text_of(page(client, "/drivers/kylian-drumont/"))
    assert "Manufacturers Cup World Final" in html
    assert re.search(rf"Crew: {TOYOTA_CREW}", html)
    assert "Relay Drivers 2024" in html  # their championship, though they drove no result row of their own


def test_the_api_carries_the_crew(client, relay):
    race = relay["races"]["manufacturers-cup"]
    url = reverse("api:race-results", args=[2024, "manufacturers-cup", "barcelona", race.slug])
    first = client.get(url).json()["results"][0]
    assert first["driver"] == "Takuma Miyazono"
    assert [member["driver"] for member in first["crew"]] == [
        "Takuma Miyazono",
        "Kylian Drumont",
        "Tomoaki Yamanaka",
    ]
    csv = client.get(url.replace("/results/", "/results.csv")).content.decode()
    assert "Kylian Drumont; Tomoaki Yamanaka" in csv


def test_adding_a_crew_member_shows_on_the_cached_race_page(client, relay):
    race = relay["races"]["manufacturers-cup"]
    assert "Lap-time Larry" not in page(client, race.get_absolute_url())
    result = race.results.get(position=2)
    CrewMember.objects.create(race=race, result=result, driver=factories.driver("Lap-time Larry"), order=4)
    assert "Lap-time Larry" in page(client, race.get_absolute_url())


# --- The whole crew wherever a result is named -----------------------------------------------------


def links_to_every_driver_of(crew, html):
    return all(f'href="/drivers/{slugify(name)}/"' in html for name in crew)


def test_the_calendar_names_each_winning_crew(client, relay):
    html = page(client, "/2024/")
    words = text_of(html)
    assert re.search(rf"Manufacturers Cup: Toyota \({TOYOTA_CREW}\)", words)
    assert re.search(rf"Relay Drivers: {TOYOTA_CREW}", words)


def test_the_round_page_names_each_winning_crew(client, relay):
    words = text_of(page(client, "/2024/barcelona/"))
    assert re.search(rf"World Final \(main race\) – won by Toyota \({TOYOTA_CREW}\)", words)
    assert re.search(rf"World Final \(main race\) – won by {TOYOTA_CREW}", words)


def test_the_home_pages_latest_results_name_each_crew(client, relay):
    html = page(client, "/")
    latest = text_of(html[html.index('id="latest-round"') :])
    assert re.search(rf"1 Winner: {TOYOTA_CREW} Toyota 10 laps 10 points 2 Second: {PORSCHE_CREW}", latest)
    assert links_to_every_driver_of(["Kylian Drumont", "Tomoaki Yamanaka", "Adam Wood"], html)


def test_a_team_page_names_the_whole_crew_of_each_of_its_entries(client, relay):
    html = page(client, "/teams/toyota/")
    words = text_of(html)
    assert re.search(rf"Manufacturers Cup World Final {TOYOTA_CREW} 1 ", words)
    assert re.search(rf"Relay Drivers World Final {TOYOTA_CREW} 1 ", words)
    assert links_to_every_driver_of(["Takuma Miyazono", "Kylian Drumont", "Tomoaki Yamanaka"], html)


def test_a_nation_page_lists_the_races_of_its_drivers_who_shared_a_car(client, relay):
    # Kylian Drumont, the Toyota crew's only French driver, drove no result row of his own.
    words = text_of(page(client, "/nations/fr/"))
    assert re.search(rf"Manufacturers Cup World Final {TOYOTA_CREW} Toyota 1 ", words)
    assert re.search(rf"Relay Drivers World Final {TOYOTA_CREW} Toyota 1 ", words)
    assert "Mikail Hizal" not in words
    assert "Races 2 Wins 2 Podiums 2 Points 20" in words
    # Two British drivers in one car: the car counts once a race.
    gb = text_of(page(client, "/nations/gb/"))
    assert re.search(rf"Manufacturers Cup World Final {PORSCHE_CREW} Porsche 2 ", gb)
    assert "Races 2 Wins 0 Podiums 2 Points 16" in gb


def test_a_crew_drivers_page_lists_the_race_with_the_whole_crew(client, relay):
    html = page(client, "/drivers/tomoaki-yamanaka/")
    assert re.search(rf"Crew: {TOYOTA_CREW}", text_of(html))
    assert links_to_every_driver_of(["Takuma Miyazono", "Kylian Drumont"], html)


def test_a_track_page_names_the_winning_crew(client, relay):
    words = text_of(page(client, "/tracks/test-ring/"))
    assert re.search(rf"Manufacturers Cup World Final .*? {TOYOTA_CREW}", words)


def test_the_standings_api_lists_every_driver_of_a_crew_now_and_as_of_a_date(client, relay):
    url = reverse("api:standings", args=[2024, "relay-drivers"])
    now = client.get(url).json()["standings"]
    assert [(row["name"], row["points"]) for row in now] == [
        ("Kylian Drumont", 10),
        ("Takuma Miyazono", 10),
        ("Tomoaki Yamanaka", 10),
        ("Adam Wood", 8),
        ("Jonny Edgar", 8),
        ("Mikail Hizal", 8),
    ]
    today = timezone.localdate().isoformat()
    assert client.get(url, {"as_of": today}).json()["standings"] == now


# --- Editors -------------------------------------------------------------------------------------


def change_url(race):
    return reverse("admin:results_race_change", args=[race.pk])


def test_an_editor_enters_a_crew_on_the_race_page(editor_client, relay):
    race = relay["races"]["manufacturers-cup"]
    race.crew_members.all().delete()
    toyota = race.results.get(position=1)
    data = form_data(editor_client.get(change_url(race)))
    people = relay["people"]
    add_rows(
        data,
        "crew_members",
        {"result": toyota.pk, "driver": people["Kylian Drumont"].pk, "order": 2},
        {"result": toyota.pk, "driver": people["Tomoaki Yamanaka"].pk, "order": 3},
    )
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert [m.driver.name for m in toyota.crew.order_by("order")] == ["Kylian Drumont", "Tomoaki Yamanaka"]
    assert re.search(TOYOTA_CREW, text_of(page(editor_client, race.get_absolute_url())))


def test_a_driver_with_a_result_of_their_own_cannot_join_a_crew_in_the_same_race(editor_client, relay):
    race = relay["races"]["manufacturers-cup"]
    toyota = race.results.get(position=1)
    data = form_data(editor_client.get(change_url(race)))
    add_rows(
        data, "crew_members", {"result": toyota.pk, "driver": relay["people"]["Mikail Hizal"].pk, "order": 4}
    )
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 200
    assert "Mikail Hizal has a result row of their own in this race" in response.content.decode()
    assert not toyota.crew.filter(driver=relay["people"]["Mikail Hizal"]).exists()


def test_a_driver_in_two_crews_of_a_race_is_refused_by_the_database(relay):
    from django.db import IntegrityError, transaction

    race = relay["races"]["manufacturers-cup"]
    porsche = race.results.get(position=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        CrewMember.objects.create(
            race=race, result=porsche, driver=relay["people"]["Kylian Drumont"], order=4
        )


def test_a_crew_member_cannot_be_given_a_result_row_of_their_own_in_the_same_race(editor_client, relay):
    race = relay["races"]["manufacturers-cup"]
    data = form_data(editor_client.get(change_url(race)))
    add_rows(
        data, "results", {"driver": relay["people"]["Kylian Drumont"].pk, "position": 3, "status": "finished"}
    )
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 200
    assert (
        "Kylian Drumont already drives in this race, in the crew of Takuma Miyazono"
        in response.content.decode()
    )
    assert race.results.count() == 2


def test_a_penalty_given_to_any_driver_of_a_crew_counts_against_the_entry(client, relay):
    race = relay["races"]["manufacturers-cup"]
    race.results.filter(position=2).update(gap="+5.000")
    race.penalties.create(
        driver=relay["people"]["Kylian Drumont"],
        seconds=10,
        reason="Unsafe rejoin",
        is_added_after_finish=True,
    )
    race.pit_stops.create(driver=relay["people"]["Tomoaki Yamanaka"], lap=4)
    rows = re.findall(r"<tr>.*?</tr>", page(client, race.get_absolute_url()), flags=re.S)
    toyota = next(text_of(row) for row in rows if "Toyota" in row)
    assert toyota.startswith("2 Takuma Miyazono")  # 10 s added after the finish: behind Porsche
    assert "incl. 10 s penalty" in toyota and "Unsafe rejoin" in toyota and "lap 4" in toyota
    standings = text_of(page(client, "/2024/manufacturers-cup/standings/"))
    assert re.search(r"1 Porsche .*? 10 ", standings) and re.search(r"2 Toyota .*? 8 ", standings)
