"""The pages fans look for (issue 14): indexes of drivers, nations, teams, tracks and reports, and a
competition's season at a glance, through their real URLs."""

import pytest

from results.models import Driver, Team

from .test_fan_defects import second_round
from .test_pages import REPORT, page, text_of

pytestmark = pytest.mark.django_db


def test_the_drivers_index_lists_every_driver_with_a_link_and_a_nation(client, demo):
    html = page(client, "/drivers/")
    words = text_of(html)
    assert "<h1>Drivers</h1>" in html and "<caption>Every driver, by name" in html
    assert "Adriano Carrazza Brazil Angel Inostroza Chile" in words  # by name
    assert '<a href="/drivers/coque-lopez/">Coque López</a>' in html
    assert '<a href="/nations/es/">' in html


def test_an_index_is_paginated_and_a_page_past_the_last_shows_the_last(client, demo):
    Driver.objects.bulk_create(Driver(name=f"Zz Driver {n:02}", slug=f"zz-driver-{n:02}") for n in range(50))
    first = page(client, "/drivers/")
    assert "Page 1 of 2" in first and 'href="?page=2"' in first and "Zz Driver 49" not in first
    second = text_of(page(client, "/drivers/?page=2"))
    assert "Zz Driver 49" in second and "Adriano Carrazza" not in second
    assert "Page 2 of 2" in text_of(page(client, "/drivers/?page=9"))
    assert "Page 1 of 2" in text_of(page(client, "/drivers/?page=nonsense"))


def test_the_nations_teams_and_tracks_indexes_link_each_page(client, demo):
    nations = page(client, "/nations/")
    assert '<a href="/nations/es/">' in nations and "Spain 2" in text_of(nations)
    teams = page(client, "/teams/")
    assert '<a href="/teams/red-bull/">Red Bull</a>' in teams and "Red Bull Manufacturer" in text_of(teams)
    tracks = page(client, "/tracks/")
    assert '<a href="/tracks/watkins-glen/">Watkins Glen</a>' in tracks


def test_the_reports_index_lists_published_reports_newest_first(client, demo):
    html = page(client, "/reports/")
    words = text_of(html)
    assert "Race reports" in words
    assert f'<a href="{REPORT}">Miyazono snatches Montréal win' in html
    assert "2024 Montréal · 7 July 2024" in words
    assert '<a href="/reports/">Reports</a>' in html  # the menu leads there
    assert '<a href="/drivers/">Drivers</a>' in html


def test_the_competition_season_page_shows_rounds_winners_and_the_top_of_the_standings(client, demo):
    second_round(["coque-lopez", "jose-serrano", "kaj-de-bruin", "takuma-miyazono"])
    html = page(client, "/2024/nations-cup/")
    words = text_of(html)
    assert "<h1>Nations Cup 2024</h1>" in html
    assert "Standings at a glance" in words
    assert "1 Jose Serrano 10 =2 Coque López 10" in words or "=1 Coque López 10 =1 Jose Serrano 10" in words
    assert "1 Montréal Canada Completed Sprint Race Main Race : Takuma Miyazono" in words
    assert "2 Prague Czechia Scheduled Main Race : Coque López" in words
    assert 'href="/2024/nations-cup/standings/">Full Nations Cup standings' in html
    assert '<a href="/2024/nations-cup/">Nations Cup 2024</a>' in page(client, "/2024/")
    page(client, "/2024/manufacturers-cup/", status=404)
    assert "Montréal" in text_of(page(client, "/2024/montreal/"))  # a round keeps its page


def test_a_team_page_is_linked_from_the_pages_that_show_its_car(client, demo):
    assert Team.objects.filter(slug="red-bull").exists()
    for url in [
        "/2024/montreal/nations-cup/main-race/",
        "/2024/montreal/",
        "/tracks/michelin-raceway-road-atlanta/",
    ]:
        assert '<a href="/teams/red-bull/">Red Bull</a>' in page(client, url), url
    sprint = page(client, "/2024/montreal/nations-cup/sprint-race/")
    assert '<a href="/teams/chevrolet/">Chevrolet</a>' in sprint
    assert '<a href="/teams/ferrari/">Ferrari</a>' in sprint


def test_index_pages_are_cached_and_follow_the_rows_they_list(client, demo):
    from results.cache import pages as cached

    page(client, "/drivers/")
    page(client, "/reports/")
    page(client, "/drivers/?page=9")  # past the last page: answered with the last one, not kept
    page(client, "/drivers/?page=1")
    assert cached.is_cached("/drivers/") and cached.is_cached("/reports/")
    assert cached.is_cached("/drivers/", {"page": "1"})
    assert not cached.is_cached("/drivers/", {"page": "9"})
    Driver.objects.create(name="Aaron Newcomer", slug="aaron-newcomer", nation="GB")
    assert "Aaron Newcomer United Kingdom" in text_of(page(client, "/drivers/"))
    assert "United Kingdom 1" in text_of(page(client, "/nations/"))


@pytest.mark.parametrize(
    "url", ["/drivers/", "/nations/", "/teams/", "/tracks/", "/reports/", "/2024/nations-cup/"]
)
def test_each_new_page_has_one_heading_a_main_landmark_and_captioned_tables(client, demo, url):
    html = page(client, url)
    assert html.count("<h1") == 1 and html.count('<main id="content"') == 1
    assert html.count("<table") == html.count("<caption>")
    assert html.count("<table") == html.count("</table>") and html.count("<tr") == html.count("</tr>")
