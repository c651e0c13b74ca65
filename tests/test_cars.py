"""Cars findable (issue 14): a page per car, an index, links from results, the track, the maker and
search."""

import pytest

from .test_pages import MAIN_RACE, page, text_of

pytestmark = pytest.mark.django_db

X2019 = "/cars/red-bull-x2019-competition/"


def test_a_car_page_names_its_maker_its_races_and_everyone_who_drove_it(client, demo):
    html = page(client, X2019)
    words = text_of(html)
    assert "<h1>Red Bull X2019 Competition</h1>" in html
    assert 'Made by <a href="/teams/red-bull/">Red Bull</a>' in html
    assert "Races 1 Wins 1 Podiums 3" in words  # the main race, where every driver drove it
    for name in ("Takuma Miyazono", "Jose Serrano", "Guy Barbara"):
        assert f">{name}</a>" in html, name
    assert '<a href="/2024/montreal/nations-cup/main-race/">Nations Cup Main Race</a>' in html
    assert "Sprint Race" not in words  # the sprint's entries drove other cars


def test_a_car_named_on_a_result_counts_that_entry_only(client, demo):
    words = text_of(page(client, "/cars/chevrolet-corvette/"))
    assert "Made by Chevrolet" in words
    assert "Kylian Drumont" in words and "Nations Cup Sprint Race" in words
    assert "Takuma Miyazono" not in words


def test_an_unknown_car_is_not_found(client, demo):
    page(client, "/cars/no-such-car/", status=404)


def test_the_cars_index_lists_every_car_with_its_maker(client, demo):
    html = page(client, "/cars/")
    assert '<a href="/cars/ferrari-f50/">Ferrari F50</a>' in html
    assert '<a href="/teams/ferrari/">Ferrari</a>' in html
    assert '<a href="/cars/red-bull-x2019-competition/">Red Bull X2019 Competition</a>' in html
    assert '<a href="/cars/">The cars they make</a>' in page(client, "/teams/")


def test_results_the_race_format_the_track_and_the_maker_link_to_the_car(client, demo):
    car = '<a href="/cars/red-bull-x2019-competition/">Red Bull X2019 Competition</a>'
    assert "every driver in the " + car in page(client, MAIN_RACE)
    sprint = page(client, "/2024/montreal/nations-cup/sprint-race/")
    assert '<a href="/cars/ferrari-f50/">Ferrari F50</a>' in sprint
    assert '<a href="/cars/chevrolet-corvette/">Chevrolet Corvette</a>' in sprint
    assert car in page(client, "/tracks/michelin-raceway-road-atlanta/")
    team = page(client, "/teams/red-bull/")
    assert 'id="team-cars"' in team and car in team


def test_search_leads_to_the_car_page(client, demo):
    html = page(client, "/search/?q=corvette")
    assert '<a href="/cars/chevrolet-corvette/">Chevrolet Corvette</a> (Chevrolet)' in html


def test_the_sitemap_lists_the_cars_and_their_index(client, demo):
    xml = page(client, "/sitemap.xml")
    assert "/cars/ferrari-f50/</loc>" in xml and "/cars/</loc>" in xml
