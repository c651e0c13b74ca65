"""The defects a fan found (issue 14), each through the page where the fan saw it."""

import pytest
from django.urls import reverse

from results.models import Competition, Driver, Race, Result, Round

from . import factories
from .test_pages import MAIN_RACE, REPORT, page, text_of

pytestmark = pytest.mark.django_db


def second_round(places):
    """Prague, run with points for the first six: ``places`` is the drivers' slugs in finishing order."""
    prague = Round.objects.get(season__year=2024, slug="prague")
    race = factories.race(
        prague,
        Competition.objects.get(slug="nations-cup"),
        number=1,
        name="Main Race",
        points_scale=[6, 5, 4, 3, 2, 1],
    )
    for position, slug in enumerate(places, start=1):
        Result.objects.create(race=race, driver=Driver.objects.get(slug=slug), position=position, laps=10)
    return race


def test_the_home_page_leaders_keep_every_driver_tied_on_a_podium_place(client, demo):
    # After Prague: Miyazono 12, Serrano 10, de Bruin 3 + 4 = 7, López 4 + 3 = 7.
    second_round(["takuma-miyazono", "jose-serrano", "kaj-de-bruin", "coque-lopez"])
    words = text_of(page(client, "/"))
    assert "1 Takuma Miyazono 12 pts 2 Jose Serrano 10 pts" in words
    assert "=3 Coque López 7 pts" in words
    assert "=3 Kaj de Bruin 7 pts" in words


def test_the_demo_report_is_dated_by_its_round_not_by_the_day_it_was_loaded(client, demo):
    assert "Latest reports Every report Montréal · 7 July 2024" in text_of(page(client, "/"))
    assert "By GTWS fan site · 7 July 2024" in text_of(page(client, REPORT))
    assert "<pubDate>Sun, 07 Jul 2024 12:00:00 +0000</pubDate>" in page(client, "/feeds/reports.rss")
    assert "<published>2024-07-07T12:00:00+00:00</published>" in page(client, "/feeds/reports.atom")


def test_a_team_page_counts_the_races_of_the_cars_it_makes(client, demo):
    # Everyone drove the Red Bull X2019 in the main race; Miyazono drove the Ferrari F50 in the sprint.
    words = text_of(page(client, "/teams/red-bull/"))
    assert "Races 1 Wins 1 Podiums 3 Points 21" in words
    assert "Takuma Miyazono" in words and "Guy Barbara" in words
    assert "Races 1" in text_of(page(client, "/teams/ferrari/"))


def test_one_point_and_one_place_are_singular(client, demo):
    third = second_round(["takuma-miyazono", "jose-serrano", "valerio-gallo"])
    third.points_scale = [3, 2, 1]
    third.save()
    assert "Third: Valerio Gallo Italy N/A 1 point " in text_of(page(client, "/"))
    third.delete()
    # After Prague de Bruin moves from fourth to =3, López from third to =3.
    second_round(["takuma-miyazono", "jose-serrano", "kaj-de-bruin", "coque-lopez"])
    words = text_of(page(client, "/2024/nations-cup/standings/"))
    assert "▲ 1 place up" in words
    assert "1 places" not in words


def test_a_grid_from_another_race_is_worded_for_any_race_name(client, demo):
    round_words = text_of(page(client, "/2024/montreal/"))
    assert "Grid: the finishing order of Sprint Race." in round_words
    assert "Grid set by the" not in round_words
    assert "Starting grid (the finishing order of Sprint Race)" in text_of(page(client, MAIN_RACE))


def test_the_grid_action_says_one_driver_in_the_singular(editor_client):
    first = factories.race(number=1, name="Race 1")
    Result.objects.create(race=first, driver=factories.driver("Solo Driver"), position=1, laps=10)
    second = factories.race(first.round, first.competition, number=2, name="Race 2", grid_from=first)
    response = editor_client.post(
        reverse("admin:results_race_changelist"),
        {"action": "set_grid_from_source", "_selected_action": [second.pk]},
        follow=True,
    )
    assert "grid set from Race 1 (1 driver)." in response.content.decode()


def test_the_calendar_does_not_announce_a_round_already_run(client, demo):
    words = text_of(page(client, "/2024/"))
    assert "1 Montréal Canada – Date not recorded Completed" in words
    assert "2 Prague Czechia – To be announced Next" in words


def test_the_admin_does_not_pass_the_tyre_rule_for_a_race_without_results(editor_client):
    race = factories.race(required_compounds=["S", "M", "H"])
    html = editor_client.get(reverse("admin:results_race_change", args=[race.pk])).content.decode()
    assert "No classified driver yet: nothing to check." in html
    assert "Every classified driver met the tyre rule." not in html


def test_the_round_page_names_the_winner_of_the_sprint_too(client, demo):
    words = text_of(page(client, "/2024/montreal/"))
    assert "Sprint Race (sprint race) – won by Kylian Drumont" in words
    assert "Main Race (main race) – won by Takuma Miyazono" in words
    # The calendar still names the winners of races that award points only.
    assert "Nations Cup: Takuma Miyazono" in text_of(page(client, "/2024/"))
    assert Race.objects.get(slug="sprint-race").points_scale in ([], None)


def test_a_race_already_run_without_a_known_day_is_not_to_be_announced(client, demo):
    assert "Date not recorded" in text_of(page(client, MAIN_RACE))
    prague = Round.objects.get(season__year=2024, slug="prague")
    race = factories.race(prague, Competition.objects.get(slug="nations-cup"), number=1, name="Main Race")
    assert "Date to be announced" in text_of(page(client, race.get_absolute_url()))
