"""The search page finds what fans type, without accents or capitals, and leads to the page they mean."""

import re
from urllib.parse import urlencode

import pytest

from results.read.search import fold, words_of

from . import factories
from .test_pages import page, text_of

pytestmark = pytest.mark.django_db


def groups_of(html):
    """Each group on the search page: its heading and the links in it, in order."""
    sections = re.findall(r'<section class="search-group"[^>]*>(.*?)</section>', html, re.S)
    return [
        (re.search(r"<h2[^>]*>(.*?)</h2>", section)[1], re.findall(r'<a href="([^"]+)"', section))
        for section in sections
    ]


@pytest.mark.parametrize(
    ("query", "kind", "url"),
    [
        ("montreal", "Rounds", "/2024/montreal/"),
        ("MONTRÉAL", "Rounds", "/2024/montreal/"),
        ("lopez", "Drivers", "/drivers/coque-lopez/"),
        ("japan", "Nations", "/nations/jp/"),
        ("jpn", "Nations", "/nations/jp/"),
        ("jp", "Nations", "/nations/jp/"),
        ("spain", "Nations", "/nations/es/"),
        ("road atlanta", "Tracks", "/tracks/michelin-raceway-road-atlanta/"),
        ("watkins", "Tracks", "/tracks/watkins-glen/"),
        ("red bull", "Teams", "/teams/red-bull/"),
        ("x2019", "Cars", "/cars/red-bull-x2019-competition/"),
        ("canada", "Rounds", "/2024/montreal/"),
        ("nations cup standings", "Competitions", "/2024/nations-cup/standings/"),
    ],
)
def test_a_plain_query_leads_first_to_the_page_meant(client, demo, query, kind, url):
    groups = dict(groups_of(page(client, f"/search/?q={query}")))
    assert groups[kind][0] == url


def test_the_kind_that_names_the_query_best_comes_first(client, demo):
    assert groups_of(page(client, "/search/?q=nations+cup+standings"))[0][0] == "Competitions"
    assert groups_of(page(client, "/search/?q=montreal"))[0][0] == "Rounds"
    assert groups_of(page(client, "/search/?q=red+bull"))[0][0] == "Teams"
    # a driver named first in a report's title is still found first as the driver
    assert groups_of(page(client, "/search/?q=miyazono"))[0] == ("Drivers", ["/drivers/takuma-miyazono/"])
    # the report that mentions Montréal is found too, in its own group
    assert "Reports Miyazono snatches Montréal win" in text_of(page(client, "/search/?q=montreal"))


def test_an_accented_query_finds_a_name_written_without_accents(client, demo):
    factories.driver("Jose Serrano-Nunez", nation="ES")
    groups = dict(groups_of(page(client, "/search/?q=Núñez")))
    assert groups["Drivers"] == ["/drivers/jose-serrano-nunez/"]


def test_the_best_match_comes_first_within_a_group(client, demo):
    factories.track("Watkins Glen Long")
    factories.track("Glen Watkinson Park")
    tracks = dict(groups_of(page(client, "/search/?q=watkins+glen")))["Tracks"]
    assert tracks[0] == "/tracks/watkins-glen/"
    assert tracks[1] == "/tracks/watkins-glen-long/"


def test_the_newest_season_s_standings_come_first(client, demo):
    factories.competition(factories.season(2023), name="Nations Cup")
    competitions = dict(groups_of(page(client, "/search/?q=nations+cup+standings")))["Competitions"]
    assert competitions == ["/2024/nations-cup/standings/", "/2023/nations-cup/standings/"]


def test_an_empty_query_shows_the_form_and_no_results(client, demo):
    html = page(client, "/search/?q=")
    assert '<input type="search" name="q"' in html and "search-group" not in html
    assert "Type at least two letters." in text_of(page(client, "/search/?q=a"))


def test_a_query_that_matches_nothing_says_so(client, demo):
    assert "Nothing matches “zzzz”." in text_of(page(client, "/search/?q=zzzz"))


def test_a_very_long_query_is_refused_with_a_message(client, demo):
    html = page(client, "/search/?q=" + "montreal " * 200)
    assert "Ensure this value has at most 100 characters" in html
    assert "search-group" not in html


def test_markup_in_the_query_is_shown_as_text_and_matches_only_the_words(client, demo):
    html = page(client, '/search/?q=<script>alert("x")</script>')
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    html = page(client, "/search/?q=lopez<>")
    assert "lopez<>" not in html and "lopez&lt;&gt;" in html
    assert dict(groups_of(html))["Drivers"] == ["/drivers/coque-lopez/"]


def test_operators_and_punctuation_are_plain_text(client, demo):
    for query in ["lopez:*", "!lopez", "lopez & |", "'lopez'", "lopez%"]:
        assert dict(groups_of(page(client, "/search/?" + urlencode({"q": query}))))["Drivers"], query
    for query in ["%%", "__", "!!", "&|:*"]:
        assert "Nothing matches" in text_of(page(client, "/search/?" + urlencode({"q": query}))), query


def test_folding_drops_accents_and_case():
    assert fold("Montréal") == "montreal"
    assert fold("Coque LÓPEZ") == "coque lopez"
    assert words_of("<b>Road</b> Atlanta!") == ["b", "road", "b", "atlanta"]


def test_a_former_online_id_or_another_spelling_finds_the_driver(client, demo):
    driver = factories.driver("Coque Lopez Jr", nation="ES")
    driver.aliases = "Coque_GT_2019\nKoke Lópes"
    driver.save()
    for query in ["coque_gt_2019", "Coque GT 2019", "koke lopes", "KOKE"]:
        groups = dict(groups_of(page(client, "/search/?" + urlencode({"q": query}))))
        assert groups["Drivers"] == ["/drivers/coque-lopez-jr/"], query
    # The alias that found the driver is named beside the nation; a hit by the name names none.
    assert "Spain, also Koke Lópes" in text_of(page(client, "/search/?q=koke"))
    assert "also Koke" not in text_of(page(client, "/search/?q=coque+lopez+jr"))


def test_a_driver_found_by_name_comes_before_one_found_by_an_alias(client, demo):
    other = factories.driver("Someone Else")
    other.aliases = "Coque López"
    other.save(update_fields=["aliases"])
    drivers = dict(groups_of(page(client, "/search/?q=coque+lopez")))["Drivers"]
    assert drivers == ["/drivers/coque-lopez/", "/drivers/someone-else/"]
