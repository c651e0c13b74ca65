"""The site's look as a fan meets it (issue 14): the home page at a glance, podiums, flags as images,
the header and its menu, nation and team colours, and the colour tokens' contrast in both themes."""

import re
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from results.models import Competition, Driver, Race, RaceReport, Result, Round, Team

from . import factories
from .test_pages import MAIN_RACE, PAGES, page, text_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def prague_race(places, number=1, name="Main Race", kind=Race.Kind.MAIN, scale=(6, 5, 4, 3, 2, 1)):
    """A race at Prague whose finishing order is ``places`` (driver slugs)."""
    race = factories.race(
        Round.objects.get(season__year=2024, slug="prague"),
        Competition.objects.get(slug="nations-cup"),
        number=number,
        name=name,
        kind=kind,
        points_scale=list(scale),
    )
    for position, slug in enumerate(places, start=1):
        Result.objects.create(
            race=race,
            driver=Driver.objects.get(slug=slug),
            position=position,
            laps=10,
            gap=f"+{position}.000",
        )
    return race


# --- The home page --------------------------------------------------------------------------------


def test_the_home_page_shows_the_latest_rounds_podium_and_its_sprint_winner(client, demo):
    html = page(client, "/")
    podium = re.search(r'<ol class="podium".*?</ol>', html, flags=re.S).group(0)
    assert text_of(podium) == (
        "1 Winner: Takuma Miyazono Japan 35 laps 6 points "
        "2 Second: Jose Serrano Spain +1.0684 5 points "
        "3 Third: Coque López Spain +5.678 4 points"
    )
    assert "Sprint Race winner: Kylian Drumont 7 laps" in text_of(html)
    assert 'href="/2024/montreal/nations-cup/main-race/"' in html


def test_the_home_page_moves_on_to_the_round_run_last(client, demo):
    prague_race(["kylian-drumont", "guy-barbara", "valerio-gallo"], number=1, name="Sprint", kind="sprint")
    prague_race(["kaj-de-bruin", "takuma-sasaki", "calen-roach"], number=2)
    words = text_of(page(client, "/"))
    assert "Latest round Round 2: Prague Nations Cup · Main Race 1 Winner: Kaj de Bruin Netherlands" in words
    assert "Sprint winner: Kylian Drumont" in words
    assert "After round 2 of 2, Prague" in words


def test_the_home_page_counts_down_to_the_next_start_from_an_absolute_time(client, demo):
    start = (timezone.now() + timedelta(days=9)).replace(hour=12, minute=0, second=0, microsecond=0)
    prague = Round.objects.get(slug="prague")
    factories.race(
        prague,
        Competition.objects.get(slug="nations-cup"),
        number=2,
        name="Main Race",
        date=start.date(),
        starts_at=start + timedelta(hours=3),
    )
    factories.race(
        prague,
        Competition.objects.get(slug="nations-cup"),
        number=1,
        name="Sprint Race",
        kind="sprint",
        date=start.date(),
        starts_at=start,
    )
    html = page(client, "/")
    words = text_of(html)
    local = start.astimezone(prague.zone)
    assert (
        f"First start, Nations Cup Sprint Race: {local:%a} {local.day} {local:%b %Y}, "
        f"{local:%H:%M} local time" in words
    )
    assert f'data-countdown-to="{start.astimezone(UTC).isoformat()}"' in html
    assert '<script src="/static/js/countdown.js" defer></script>' in html
    # Nothing in the cached HTML goes stale with the clock: the countdown is the script's.
    assert not re.search(r"\bin \d+ (days?|hours?)\b|Starts in", words)


def test_the_home_page_has_no_countdown_without_a_start_time(client, demo):
    html = page(client, "/")
    assert "Next round Round 2: Prague Prague, Czechia To be announced" in text_of(html)
    assert "data-countdown-to" not in html and "countdown.js" not in html


def test_the_home_page_leaders_show_a_shared_second_place(client, demo):
    # After Prague: Miyazono 6 + 6 = 12; de Bruin 3 + 5, López 4 + 4 and Serrano 5 + 3 all 8.
    prague_race(["takuma-miyazono", "kaj-de-bruin", "coque-lopez", "jose-serrano"])
    html = page(client, "/")
    leaders = text_of(re.search(r'<ol class="leaders">.*?</ol>', html, flags=re.S).group(0))
    first, *shared = leaders.split(" =2 ")
    assert first == "1 Takuma Miyazono 12 pts"
    assert sorted(shared) == ["Coque López 8 pts", "Jose Serrano 8 pts", "Kaj de Bruin 8 pts"]


def test_the_home_page_lists_the_three_latest_reports_newest_first(client, demo):
    montreal = Round.objects.get(slug="montreal")
    first = RaceReport.objects.get().published_at
    for day in range(1, 4):
        RaceReport.objects.create(
            round=montreal,
            title=f"Day {day} after",
            slug=f"day-{day}",
            body="Text",
            standfirst=f"What day {day} brought.",
            is_published=True,
            published_at=first + timedelta(days=day),
        )
    words = text_of(page(client, "/"))
    reports = words[words.index("Latest reports") :]
    assert re.search(r"Day 3 after What day 3 brought\. .*Day 2 after .*Day 1 after", reports)
    assert "Miyazono snatches Montréal win" not in reports


def test_a_site_without_a_season_says_so(client, db):
    assert "No season has been entered yet." in text_of(page(client, "/"))


# --- The race page's podium -----------------------------------------------------------------------


def test_the_race_page_shows_the_podium_above_the_results_table(client, demo):
    html = page(client, MAIN_RACE)
    podium = html.index('<ol class="podium"')
    assert podium < html.index("<table")
    block = re.search(r'<ol class="podium".*?</ol>', html, flags=re.S).group(0)
    assert block.count('class="podium-place') == 3
    assert "Coque López" in block and "Kaj de Bruin" not in block  # the top three, not the table


def test_a_race_without_points_shows_no_points_on_its_podium(client, demo):
    block = re.search(
        r'<ol class="podium".*?</ol>', page(client, "/2024/montreal/nations-cup/sprint-race/"), flags=re.S
    ).group(0)
    assert "Kylian Drumont" in block and "point" not in block


# --- Flags ----------------------------------------------------------------------------------------

FLAG = re.compile(r"<img [^>]*class=\"flag\"[^>]*>")


@pytest.mark.parametrize("url", PAGES)
def test_flags_are_images_and_never_emoji(client, demo, url):
    html = page(client, url)
    assert not re.search("[\U0001f1e6-\U0001f1ff]", html), "a flag emoji is left"
    for image in FLAG.findall(html):
        assert re.search(r'src="/static/vendor/flag-icons/4x3/[a-z]{2}\.svg"', image), image
        assert 'width="20" height="15"' in image, image  # no layout shift
        assert re.search(r'alt="[^"]*"', image), image


def test_a_flag_names_its_nation_in_text(client, demo):
    standings = page(client, "/2024/nations-cup/standings/")
    assert re.search(
        r'<img class="flag" src="/static/vendor/flag-icons/4x3/jp.svg"[^>]* alt="Japan"', standings
    )
    # Where the name is written beside it, the flag is decorative: a screen reader reads the name once.
    round_page = page(client, "/2024/montreal/")
    assert re.search(
        r'<img class="flag" src="/static/vendor/flag-icons/4x3/ca.svg"[^>]* alt="">Montréal, Canada',
        round_page,
    )


def test_the_flags_are_served_by_the_site_with_their_licence():
    assert finders.find("vendor/flag-icons/4x3/jp.svg")
    assert finders.find("vendor/flag-icons/4x3/cz.svg")
    assert "The MIT License" in (ROOT / "static/vendor/flag-icons/LICENSE").read_text()


# --- Header, menu and footer ----------------------------------------------------------------------


def test_the_header_has_the_wordmark_a_menu_without_script_and_a_way_to_search(client, demo):
    html = page(client, MAIN_RACE)
    header = re.search(r'<header class="site-header">.*?</header>', html, flags=re.S).group(0)
    assert re.search(r'<svg class="wordmark"[^>]*role="img" aria-label="GTWS fan site"', header)
    menu = re.search(
        r'<details class="site-menu">\s*<summary>Menu</summary>(.*?)</details>', header, flags=re.S
    )
    assert menu, "the menu collapses into <details>, which opens without JavaScript"
    assert 'href="/drivers/"' in menu.group(1) and 'href="/2024/nations-cup/standings/"' in menu.group(1)
    assert 'role="search"' in menu.group(1) and 'id="menu-search-q"' in menu.group(1)
    assert '<a class="site-search-link" href="/search/">Search</a>' in header
    assert header.count('id="site-search-q"') == 1  # one id each: the wide header's box, the menu's box
    assert "<script" not in header


def test_the_wide_header_shows_the_same_menu_as_the_panel_to_a_signed_in_fan(client, demo, django_user_model):
    fan = django_user_model.objects.create_user("fay", "fay@example.com", "a-long-fan-password")
    client.force_login(fan)
    header = re.search(r'<header class="site-header">.*?</header>', page(client, MAIN_RACE), flags=re.S)
    navs = re.findall(r'<nav[^>]*aria-label="Main">(.*?)</nav>', header.group(0), flags=re.S)
    assert len(navs) == 2 and navs[0] == navs[1]  # the narrow screen's panel, then the wide header
    assert 'href="/2024/nations-cup/standings/"' in navs[1] and "Sign out" in navs[1]
    assert 'name="csrfmiddlewaretoken"' in navs[1] and "Sign in" not in navs[1]


def test_the_footer_links_the_index_pages(client, demo):
    footer = re.search(r"<footer.*?</footer>", page(client, "/"), flags=re.S).group(0)
    for url in ("/drivers/", "/nations/", "/teams/", "/tracks/", "/reports/", "/2024/", "/open-data/"):
        assert f'href="{url}"' in footer, url


# --- Nation and team colours ----------------------------------------------------------------------


def test_pages_take_the_colour_of_their_nation_or_team(client, demo):
    assert 'class="page-head" style="--edge: #bc002d"' in page(client, "/drivers/takuma-miyazono/")
    assert 'class="page-head" style="--edge: #bc002d"' in page(client, "/nations/jp/")
    assert 'class="page-head" style="--edge: #1e41ff"' in page(client, "/teams/red-bull/")
    home = page(client, "/")
    assert 'podium-p1" style="--edge: #bc002d"' in home  # Miyazono, Japan
    assert 'aria-labelledby="next-round" style="--edge: #11457e"' in home  # Prague, Czechia


def test_a_team_without_a_listed_colour_still_has_one_of_its_own(client, demo):
    team = Team.objects.create(name="Zeta Motors", slug="zeta-motors")
    Result.objects.filter(driver__slug="guy-barbara").update(team=team)
    html = page(client, "/teams/zeta-motors/")
    colour = re.search(r'class="page-head" style="--edge: (hsl\(\d+ 65% 45%\))"', html).group(1)
    assert colour in page(client, "/teams/zeta-motors/")  # the same on every render


# --- Tokens: both themes, contrast AA -------------------------------------------------------------


def tokens():
    """{theme: {token: "#rrggbb"}} from static/css/site.css; dark starts from light."""
    css = (ROOT / "static/css/site.css").read_text()
    dark_at = css.index("@media (prefers-color-scheme: dark)")
    light = dict(re.findall(r"(--gt-[\w-]+):\s*(#[0-9a-fA-F]{6})", css[:dark_at]))
    dark_block = css[dark_at : css.index("}", dark_at)]
    return {
        "light": light,
        "dark": {**light, **dict(re.findall(r"(--gt-[\w-]+):\s*(#[0-9a-fA-F]{6})", dark_block))},
    }


def contrast(one, two):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(one), luminance(two)], reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_ON = [
    (text, ground)
    for text in ("--gt-fg", "--gt-muted", "--gt-accent", "--gt-link", "--gt-up", "--gt-down")
    for ground in ("--gt-bg", "--gt-surface")
] + [
    ("--gt-header-fg", "--gt-header-bg"),
    ("--gt-header-muted", "--gt-header-bg"),
    ("--gt-header-kicker", "--gt-header-bg"),
    ("--gt-podium-fg", "--gt-gold"),
    ("--gt-podium-fg", "--gt-silver"),
    ("--gt-podium-fg", "--gt-bronze"),
    ("--gt-accent-fg", "--gt-accent"),
]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("text", "ground"), TEXT_ON)
def test_text_colours_meet_aa_contrast_in_both_themes(theme, text, ground):
    colours = tokens()[theme]
    assert contrast(colours[text], colours[ground]) >= 4.5, (theme, text, ground)


def test_the_dark_theme_sets_bootstraps_own_variables_too():
    css = (ROOT / "static/css/site.css").read_text()
    dark = css[css.index("@media (prefers-color-scheme: dark)") :]
    for variable in (
        "color-scheme: dark",
        "--bs-body-bg:",
        "--bs-body-color:",
        "--bs-emphasis-color:",  # tables' text
        "--bs-emphasis-color-rgb:",  # tables' stripes and hover
        "--bs-secondary-color:",
        "--bs-tertiary-bg:",
        "--bs-link-color:",
        "--bs-link-color-rgb:",
        "--bs-border-color:",
    ):
        assert variable in dark, variable
    assert tokens()["dark"]["--gt-bg"] != tokens()["light"]["--gt-bg"]


def test_a_new_season_without_results_says_so_and_dates_the_last_round_it_shows(client, demo):
    season = factories.season(2025)
    factories.round_(season, number=1, name="Sydney")
    words = text_of(page(client, "/"))
    assert "2025 season GTWS 2025 The season has not started yet · next: Sydney" in words
    assert "Latest round · 2024 Round 1: Montréal" in words
