"""What a fan reads: every public page through its real URL and template (query counts: test_queries.py)."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from results.models import Race, RaceReport

pytestmark = pytest.mark.django_db

REPORT = "/reports/2024-montreal-nations-cup-miyazono-leads/"
MAIN_RACE = "/2024/montreal/nations-cup/main-race/"
PAGES = [
    "/",
    "/2024/",
    "/2024/montreal/",
    MAIN_RACE,
    "/2024/montreal/nations-cup/sprint-race/",
    "/2024/nations-cup/standings/",
    REPORT,
    "/drivers/takuma-miyazono/",
    "/nations/jp/",
    "/tracks/michelin-raceway-road-atlanta/",
    "/teams/red-bull/",
    "/cars/red-bull-x2019-competition/",
    "/cars/",
    "/search/?q=miyazono",
    "/open-data/",
    "/drivers/",
    "/nations/",
    "/teams/",
    "/tracks/",
    "/reports/",
    "/2024/nations-cup/",
]


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


# What a table repeats for phones on a row's second line (drawn below 768 px, where the columns
# holding the same facts are not): tests/test_tables.py reads it; the other tests read wide screens.
PHONE_COPY = re.compile(r'<dl class="row-more">.*?</dl>', flags=re.S)


def text_of(html):
    """The page's words as a reader of a wide screen sees them: no tags, no flag emoji (the name is
    always written), no phone copy of a table row's columns."""
    words = re.sub(r"<[^>]+>", " ", PHONE_COPY.sub(" ", html))
    words = re.sub("[\U0001f1e6-\U0001f1ff]", "", words)
    return " ".join(words.split())


def test_home_shows_latest_report_results_leaders_and_the_next_round(client, demo):
    html = page(client, "/")
    words = text_of(html)
    assert "Miyazono snatches Montréal win and the early Nations Cup lead" in words
    assert "After round 1 of 2, Montréal · next: Prague" in words
    assert "Latest round Round 1: Montréal Nations Cup · Main Race" in words
    assert (
        "Winner: Takuma Miyazono Japan 35 laps 6 points 2 Second: Jose Serrano Spain +1.0684 5 points "
        "3 Third: Coque López Spain +5.678 4 points Sprint Race winner: Kylian Drumont 7 laps" in words
    )
    assert "Next round Round 2: Prague Prague, Czechia To be announced" in words
    assert "Nations Cup leaders 1 Takuma Miyazono 6 pts 2 Jose Serrano 5 pts 3 Coque López 4 pts" in words


def test_the_calendar_shows_montreal_won_by_miyazono_and_prague_next(client, demo):
    words = text_of(page(client, "/2024/"))
    assert "1 Montréal Canada – Date not recorded Completed Nations Cup: Takuma Miyazono" in words
    assert "2 Prague Czechia – To be announced Next" in words


def test_the_round_page_lists_its_races_with_their_format(client, demo):
    words = text_of(page(client, "/2024/montreal/"))
    assert "Sprint Race (sprint race) – won by Kylian Drumont Watkins Glen , 7 laps. No points." in words
    assert (
        "Main Race (main race) – won by Takuma Miyazono Michelin Raceway Road Atlanta , 35 laps, "
        "every driver in the Red Bull X2019 Competition ( Red Bull ). "
        "Grid: the finishing order of Sprint Race. "
        "Mandatory tyres: each of soft, medium and hard." in words
    )


def test_the_race_page_shows_every_figure_of_the_seed(client, demo):
    html = page(client, MAIN_RACE)
    words = text_of(html)
    for row in [
        # every driver in the same car, said once above the table; laps only where they differ from 35
        "1 Takuma Miyazono Japan 35 laps 2 (+1) M Medium 2 (0.5 s) Track limits 0.5 s; Track limits 6",
        "2 Jose Serrano Spain +1.0684 S Soft H Hard lap 33 5",
        "4 Kaj de Bruin Netherlands +8.184 3",
        "5 Takuma Sasaki Japan +8.184 3 (−2) M Medium 2",
        "9 Adriano Carrazza Brazil +43.476 0",
        "10 Kylian Drumont France +1:05.950 1 (−9) S Soft lap 10 0",
        "12 Guy Barbara Australia N/A H Hard lap 1 0",
    ]:
        assert row in words, row
    assert (
        "Podium 1 Winner: Takuma Miyazono Japan 35 laps 6 points 2 Second: Jose Serrano Spain +1.0684 "
        "5 points 3 Third: Coque López Spain +5.678 4 points" in words
    )
    grid = (
        "Starting grid (the finishing order of Sprint Race) 1. Kylian Drumont S on Soft 2. Takuma Miyazono M"
    )
    assert grid in words
    assert '<a href="/drivers/kylian-drumont/">Kylian Drumont</a>' in html


def test_the_strategy_chart_is_an_accessible_image_with_a_text_legend(client, demo):
    html = page(client, MAIN_RACE)
    assert re.search(
        r'<div class="strategy" role="img" aria-label="Tyre strategies, Main Race" '
        r'aria-describedby="strategy-desc-\d+"',
        html,
    )
    assert 'title="Kylian Drumont: Soft, laps 1–10"' in html
    assert 'title="Kylian Drumont: pit stop after lap 10"' in html
    assert 'title="Jose Serrano: Soft until lap 33 (start not known; lap 1 at the earliest)"' in html
    assert re.search(r'<span class="stint medium open"[^>]*title="Takuma Miyazono: Medium from lap 1', html)
    assert "Tyres not given by the source" in html


def test_a_mandatory_tyre_breach_is_flagged_on_the_chart_and_the_table(client, demo):
    race = Race.objects.get(slug="main-race")
    gallo = race.results.get(driver__slug="valerio-gallo")
    race.stints.create(driver=gallo.driver, compound="M", first_lap=1, last_lap=20)
    race.stints.create(driver=gallo.driver, compound="H", first_lap=21, last_lap=35)
    html = page(client, MAIN_RACE)
    assert "Did not use soft" in html
    assert re.search(r'<span class="strategy-note breach">Missing Soft</span>', html)


def test_the_sprint_page_says_its_classification_is_partial(client, demo):
    words = text_of(page(client, "/2024/montreal/nations-cup/sprint-race/"))
    assert "Only the drivers the source names are listed." in words
    assert "did not publish" not in words
    assert "7 Valerio Gallo Italy" in words


def test_standings_page_with_selector_movement_and_chart(client, demo):
    html = page(client, "/2024/nations-cup/standings/")
    words = text_of(html)
    assert "1 Takuma Miyazono 1 1 – 6" in words  # wins, podiums, gap to the leader, points
    assert "=7 Guy Barbara" in words
    assert '<option value="1" selected>Round 1</option>' in html
    assert 'aria-label="Points progression, Nations Cup 2024"' in html


def test_the_report_page_embeds_results_and_strategies_and_leaves_room_for_comments(client, demo):
    html = page(client, REPORT)
    words = text_of(html)
    assert "<p>The 2024 Nations Cup opened in Montréal" in html
    assert "By GTWS fan site" in words
    assert "Nations Cup Main Race classification; points 6-5-4-3-2-1." in words
    assert "Tyre strategies, Main Race" in html
    assert 'id="comments"' in html and "Chat with the Community" in words
    assert '<meta property="og:type" content="article">' in html


def test_report_text_is_escaped(client, demo):
    report = RaceReport.objects.get()
    report.body = "Great race <script>alert(1)</script>\n\nSecond paragraph & more"
    report.title = "<b>Bold</b> claims"
    report.save()
    html = page(client, REPORT)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in html
    assert "<p>Second paragraph &amp; more</p>" in html


def test_unpublished_and_future_reports_are_not_shown(client, demo):
    report = RaceReport.objects.get()
    report.is_published = False
    report.save()
    page(client, REPORT, status=404)
    assert "Miyazono snatches" not in page(client, "/")


def test_driver_page_history_and_record(client, demo):
    words = text_of(page(client, "/drivers/kylian-drumont/"))
    assert "France" in words
    assert "Races 2 Wins 0 Podiums 0 Best finish 10" in words
    assert "2024 Montréal Nations Cup Main Race 10 +1:05.950 0" in words
    assert "2024 Montréal Nations Cup Sprint Race 1" in words
    # Figures per competition, with the place in its standings.
    assert "Nations Cup 2024 2 0 0 0 10 =7th with 0 points" in words


def test_nation_team_and_track_pages(client, demo):
    assert "Takuma Miyazono Takuma Sasaki" in text_of(page(client, "/nations/jp/"))
    track = text_of(page(client, "/tracks/watkins-glen/"))
    assert "2024 Montréal: Nations Cup Sprint Race 7 – Kylian Drumont" in track
    team = text_of(page(client, "/teams/red-bull/"))
    assert "Manufacturer Red Bull Races 1 Wins 1" in team and "No results yet." not in team
    page(client, "/nations/zz/", status=404)
    page(client, "/teams/nobody/", status=404)


def test_search_finds_drivers_reports_and_rounds(client, demo):
    words = text_of(page(client, "/search/?q=montr"))
    assert "Reports Miyazono snatches Montréal win" in words
    assert "Rounds 2024 Montréal (Montréal)" in words
    assert "Drivers Takuma Miyazono (Japan)" in text_of(page(client, "/search/?q=MIYAZONO"))
    assert "Nothing matches “zzz”." in text_of(page(client, "/search/?q=zzz"))
    assert "&lt;script&gt;" in page(client, "/search/?q=<script>")


@pytest.mark.parametrize("url", ["/", MAIN_RACE, "/open-data/"])
def test_the_menu_search_box_is_a_form_that_searches(client, demo, url):
    html = page(client, url)
    # The wide header's box and the collapsed menu's (one shown at a time), each with its own id.
    forms = list(re.finditer(r'<form[^>]*class="site-search"[^>]*>(.*?)</form>', html, re.S))
    assert len(forms) == 2, "the menu's search box must sit in a form, or Enter does nothing"
    for form, prefix in zip(forms, ["menu", "site"], strict=True):
        assert 'action="/search/"' in form.group(0) and 'method="get"' in form.group(0)
        assert '<input type="search" name="q"' in form.group(1)
        assert '<button  class="btn btn-sm btn-light" type="submit">Search</button>' in form.group(1)
        assert f'<label for="{prefix}-search-q"' in form.group(1)


def test_feeds_sitemap_and_robots(client, demo):
    atom = page(client, "/feeds/reports.atom")
    assert "<title>Miyazono snatches Montréal win and the early Nations Cup lead</title>" in atom
    assert "http://testserver/reports/2024-montreal-nations-cup-miyazono-leads/" in atom
    assert "<rss" in page(client, "/feeds/reports.rss")
    sitemap = page(client, "/sitemap.xml")
    for url in [
        "/2024/montreal/nations-cup/main-race/",
        "/drivers/guy-barbara/",
        "/2024/nations-cup/standings/",
        REPORT,
        "/drivers/",
        "/reports/",
        "/2024/nations-cup/",
    ]:
        assert f"<loc>http://testserver{url}</loc>" in sitemap
    robots = page(client, "/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /admin/" in robots


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_canonical_social_tags_and_no_third_party_requests(client, demo, url):
    html = page(client, url)
    path = url.split("?")[0]
    assert f'<link rel="canonical" href="{settings.SITE_URL}{path}">' in html
    assert f'<meta property="og:image" content="{settings.SITE_URL}/static/img/og-card.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    hosts = set(re.findall(r"""(?:src|href|action)=["']https?://([^/"']+)""", html))
    assert hosts <= {"testserver", urlsplit(settings.SITE_URL).netloc}
    # Pages work without JavaScript; what little there is comes from our own files, never inline.
    assert all('src="/static/js/' in tag for tag in re.findall(r"<script[^>]*>", html))


def test_friendly_404_page(client, demo, settings):
    settings.DEBUG = False
    response = client.get("/drivers/nobody-at-all/")
    assert response.status_code == 404
    words = text_of(response.content.decode())
    assert "Off the track" in words and "There is no driver “nobody-at-all”." in words


def test_a_year_past_any_column_is_a_plain_404(client, demo):
    page(client, f"/{10**30}/montreal/nations-cup/main-race/", status=404)
    page(client, f"/{10**30}/", status=404)


def test_500_page_needs_nothing_to_render():
    from django.template.loader import render_to_string

    assert "Something went wrong on our side" in render_to_string("500.html")


@pytest.mark.parametrize("url", ["/search/?q=montreal", "/search/", "/accounts/login/", "/accounts/signup/"])
def test_public_entry_pages_are_indexable_and_search_answers_fold_into_the_search_page(client, demo, url):
    """Search engines may crawl them; every search answer names /search/ as its canonical page, so
    made-up queries add no pages to an index."""
    html = page(client, url)
    assert 'name="robots"' not in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical == settings.SITE_URL + url.split("?")[0]
    assert "Disallow: /search/" not in page(client, "/robots.txt")


@pytest.mark.parametrize("url", ["/accounts/password/reset/", "/profile/"])
def test_account_pages_beyond_the_entrance_stay_out_of_indexes(client, demo, django_user_model, url):
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "a-long-fan-password-1")
    if "profile" in url:
        client.force_login(fan)
    assert '<meta name="robots" content="noindex">' in page(client, url)
