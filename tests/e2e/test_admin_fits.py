"""The editors' pages at 1280 px and on a tablet (issue 15): the race page, the lists, the round's
race-day page and the paste page are no wider than the screen, and an error on a result's gap shows
beside the field, on screen. A full-page screenshot of each goes to
tests/artifacts/admin-<page>-<width>.png for review.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from results.demo import load_demo
from results.models import Race

from ..twofactor import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
SEASON_FILE = Path(__file__).resolve().parents[1] / "data" / "gtws-2024-real.json"


@pytest.fixture
def editor_page(browser, live_server, editor, request):
    """A 1280 px page (or the test's ``width``) signed in as an editor (the session of a client that
    gave its second factor)."""
    client = sign_in_staff(Client(), editor)
    width = request.node.callspec.params.get("width", WIDTH) if hasattr(request.node, "callspec") else WIDTH
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    yield page
    context.close()


def widths(page):
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


# Boxes that scroll sideways inside the page (a list's table in its own scroller): "<id or class>: <px>".
INNER_SCROLLERS = """() => [...document.querySelectorAll("#content *")]
  .filter(e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.id || e.className}: ${e.scrollWidth} > ${e.clientWidth}`)"""


def editors_pages():
    """The real 2024 season (both cups, every round, names as long as they come) and its pages."""
    call_command("import_results", str(SEASON_FILE), stdout=io.StringIO())
    makers = Race.objects.filter(competition__scores="team").order_by("pk").first()
    nations = Race.objects.filter(competition__scores="driver", results__isnull=False).order_by("pk").first()
    return {
        "race": f"/admin/results/race/{nations.pk}/change/",
        "race-with-teams": f"/admin/results/race/{makers.pk}/change/",
        "new-race": "/admin/results/race/add/",
        "races": "/admin/results/race/",
        "rounds": "/admin/results/round/",
        "drivers": "/admin/results/driver/",
        "tracks": "/admin/results/track/",
        "paste": f"/admin/results/race/{nations.pk}/paste/",
        "round": f"/admin/results/round/{nations.round_id}/change/",
        "add-races": f"/admin/results/round/{nations.round_id}/add-races/",
    }


def test_the_editors_pages_fit_1280_px(editor_page, live_server, artifacts):
    pages = editors_pages()
    measured, inner_scrollers = {}, {}
    for name, path in pages.items():
        response = editor_page.goto(live_server.url + path)
        assert response.status == 200, name
        measured[name] = widths(editor_page)
        inner_scrollers[name] = editor_page.evaluate(INNER_SCROLLERS)
        editor_page.screenshot(path=str(artifacts / f"admin-{name}-{WIDTH}.png"), full_page=True)
    print("scrollWidth, innerWidth:", measured)
    assert {name: scroll for name, (scroll, inner) in measured.items() if scroll > inner} == {}
    assert {name: boxes for name, boxes in inner_scrollers.items() if boxes} == {}
    # A race's name keeps to one line in the list.
    editor_page.goto(live_server.url + "/admin/results/race/")
    lines = editor_page.evaluate(
        "() => [...document.querySelectorAll('#result_list .field-name a')]"
        ".map(a => a.getClientRects().length)"
    )
    assert lines and set(lines) == {1}


@pytest.mark.parametrize("width", [768, 1024])
def test_the_editors_pages_read_on_a_tablet(editor_page, live_server, artifacts, width):
    """No page is wider than a tablet, portrait or landscape. Boxes that may scroll sideways inside the
    page: the race page's results (fifteen fields a row need about 1,130 px) and, in portrait, the
    races' and rounds' lists (their filters go under them from 1,024 px down)."""
    measured, inner_scrollers = {}, {}
    for name, path in editors_pages().items():
        assert editor_page.goto(live_server.url + path).status == 200, name
        measured[name] = widths(editor_page)
        inner_scrollers[name] = editor_page.evaluate(INNER_SCROLLERS)
        editor_page.screenshot(path=str(artifacts / f"admin-{name}-{width}.png"), full_page=True)
    print(f"scrollWidth, innerWidth at {width}:", measured)
    assert {name: scroll for name, (scroll, inner) in measured.items() if scroll > inner} == {}
    scrolling = {name: [b.split(":")[0] for b in boxes] for name, boxes in inner_scrollers.items() if boxes}
    expected = {name: ["results-group"] for name in ("race", "race-with-teams", "new-race")}
    if width < 1024:
        expected.update(races=["results"], rounds=["results"])
    assert scrolling == expected


def test_an_error_on_a_gap_shows_beside_the_field_without_scrolling_sideways(
    editor_page, live_server, artifacts
):
    load_demo()
    race = Race.objects.get(round__slug="montreal", slug="main-race")
    editor_page.goto(f"{live_server.url}/admin/results/race/{race.pk}/change/")
    gap = editor_page.locator("#id_results-3-gap")
    gap.fill("+8.19O")  # a letter O for a zero: not a gap
    editor_page.fill("#id_correction_reason", "Timing sheet checked")
    editor_page.locator("input[name=_continue]").last.click()

    error = editor_page.locator("#results-3 td.field-gap ul.errorlist")
    error.scroll_into_view_if_needed()
    editor_page.screenshot(path=str(artifacts / f"admin-race-gap-error-{WIDTH}.png"), full_page=True)
    assert "8.19O" in error.inner_text()
    box = error.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    assert editor_page.evaluate("() => window.scrollX") == 0
    scroll, inner = widths(editor_page)
    assert scroll <= inner
