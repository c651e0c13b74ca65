"""The site's look in Chromium: the header and its menu on a phone without JavaScript, both colour
themes, the podium and the countdown (issue 14). Screenshots go to tests/artifacts/ for review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from results.demo import load_demo
from results.models import Competition, Round
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DARK_BG = "rgb(16, 18, 23)"  # --gt-bg in the dark theme
LIGHT_BG = "rgb(255, 255, 255)"


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_header_stays_short_and_its_menu_opens_without_javascript(
    browser, live_server, artifacts, scheme
):
    load_demo()
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, java_script_enabled=False, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(live_server.url + "/2024/montreal/nations-cup/main-race/")
    assert background(page) == (DARK_BG if scheme == "dark" else LIGHT_BG)
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    assert page.get_by_role("link", name="Search", exact=True).is_visible()
    drivers = page.locator(".site-header").get_by_role("link", name="Drivers", exact=True)
    assert not drivers.is_visible()
    assert page.locator(".podium-place").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / f"identity-race-360-{scheme}.png"), full_page=True)

    page.get_by_text("Menu", exact=True).click()
    assert drivers.is_visible()
    assert page.get_by_role("searchbox").is_visible()
    page.screenshot(path=str(artifacts / f"identity-menu-360-{scheme}.png"))
    drivers.click()
    assert page.locator("h1").inner_text() == "Drivers"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_desktop_the_menu_is_open_and_the_home_page_counts_down(browser, live_server, artifacts, scheme):
    load_demo()
    start = timezone.now() + timedelta(days=2, hours=5, minutes=30)
    prague = Round.objects.get(slug="prague")
    factories.race(
        prague,
        Competition.objects.get(slug="nations-cup"),
        name="Main Race",
        date=start.astimezone(prague.zone).date(),
        starts_at=start,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert background(page) == (DARK_BG if scheme == "dark" else LIGHT_BG)
    assert not page.locator(".site-menu").is_visible()
    assert page.locator(".site-header").get_by_role("link", name="Drivers", exact=True).is_visible()
    assert page.get_by_role("searchbox").is_visible()
    assert page.locator(".countdown").inner_text().startswith("Starts in 2 d 05 h")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(artifacts / f"identity-home-1280-{scheme}.png"), full_page=True)
    context.close()
