"""An editor enters the Montréal round from scratch through the admin, from the seed report's lists,
counting every click and every field filled; then a fan's pages show the demo's facts.

The season, its Nations Cup and the two tracks exist (they are set up once a season); the drivers do
not: the first round's lists create them. Screenshots of each step go to tests/artifacts/editor-*.png
(docs/editors.md shows them).
"""

import pytest
from django.conf import settings
from django.test import Client

from results.models import Competition, Race, Season, Track

from ..test_admin_exchange import PRESS_LIST
from ..twofactor import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_ACTIONS = 25  # issue 15's target for a whole round: two races, grid, strategies and penalties

SPRINT_RESULTS = """\
1. Kylian Drumont – France – 7 laps
2. Takuma Miyazono – Japan
3. Takuma Sasaki – Japan
7. Valerio Gallo – Italy
"""
MAIN_RESULTS = PRESS_LIST  # the seed report's list, as printed
MAIN_STRATEGIES = """\
Kylian Drumont: S → ? (lap 10)
Takuma Miyazono: M → ?
Takuma Sasaki: M → ?
Calen Roach: H → ? (lap 1)
Guy Barbara: H → ? (lap 1)
Angel Inostroza: H → ? (lap 1)
Robert Heck: H → ? (lap 1)
Serrano: S → H (lap 33)
"""
MAIN_PENALTIES = """\
Miyazono +0.5 s track limits
Miyazono – track limits
"""


class Editor:
    """A browser page that counts what the editor does: each click, each field filled or chosen."""

    def __init__(self, page, artifacts):
        self.page, self.artifacts, self.actions, self.shots = page, artifacts, 0, 0

    def click(self, locator, navigates=True):
        """One click; by default on a link or a button, whose next page is waited for (loaded)."""
        self.actions += 1
        if not navigates:
            locator.click()
            return
        with self.page.expect_navigation():
            locator.click()

    def fill(self, locator, text):
        self.actions += 1
        locator.fill(text)

    def choose(self, locator, label):
        self.actions += 1
        locator.select_option(label=label)

    def shoot(self, name):
        self.shots += 1
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"{name}: the page is {width}px wide"
        self.page.screenshot(path=str(self.artifacts / f"editor-{self.shots}-{name}.png"), full_page=True)


@pytest.fixture
def season_set_up():
    season = Season.objects.create(year=2024, name="Gran Turismo World Series 2024")
    Competition.objects.create(season=season, name="Nations Cup", slug="nations-cup")
    Track.objects.create(name="Watkins Glen", slug="watkins-glen", country="US")
    Track.objects.create(
        name="Michelin Raceway Road Atlanta", slug="michelin-raceway-road-atlanta", country="US"
    )
    return season


@pytest.fixture
def editor_page(browser, live_server, editor):
    client = sign_in_staff(Client(), editor)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    yield page
    context.close()


def test_an_editor_enters_the_montreal_round_in_at_most_25_actions(
    editor_page, live_server, artifacts, season_set_up
):
    page = editor_page
    editor = Editor(page, artifacts)
    page.goto(live_server.url + "/admin/")

    # The round: its season and number are filled in (the latest season, the next number).
    editor.click(page.locator("a.addlink[href$='/results/round/add/']"))
    editor.fill(page.get_by_label("Name:"), "Montréal")
    editor.fill(page.get_by_label("City:"), "Montréal")
    editor.choose(page.get_by_label("Country:"), "Canada")
    editor.shoot("round")
    editor.click(page.get_by_role("button", name="Save and continue editing"))

    # Its races, from a format: a sprint whose finish sets the main race's grid.
    editor.click(page.get_by_role("link", name="Add races from a format").first)
    editor.choose(page.get_by_label("Race 1: track"), "Watkins Glen")
    editor.choose(page.get_by_label("Race 2: track"), "Michelin Raceway Road Atlanta")
    editor.shoot("format")
    editor.click(page.get_by_role("button", name="Add the races"))
    assert "Added 2 races" in page.inner_text("ul.messagelist")
    editor.shoot("race-day")

    # The sprint: only the places the report names, so not a complete classification.
    editor.click(page.locator("#race-day tbody tr").nth(0).get_by_role("link", name="Paste results"))
    editor.fill(page.get_by_label("Results"), SPRINT_RESULTS)
    editor.click(page.get_by_label("The classification is complete"), navigates=False)
    editor.click(page.get_by_role("button", name="Read the lists"))
    editor.shoot("sprint-preview")
    editor.click(page.get_by_role("button", name="Save"))

    # The main race's grid from the sprint's final classification.
    editor.click(page.get_by_role("button", name="Set grid from Sprint Race"))
    assert "grid set from Sprint Race (4 drivers)" in page.inner_text("ul.messagelist")

    # The main race: results, strategies (with the stops they give) and penalties.
    editor.click(page.locator("#race-day tbody tr").nth(1).get_by_role("link", name="Paste results"))
    editor.fill(page.get_by_label("Results"), MAIN_RESULTS)
    editor.fill(page.get_by_label("Tyre strategies"), MAIN_STRATEGIES)
    editor.fill(page.get_by_label("Penalties"), MAIN_PENALTIES)
    editor.click(page.get_by_role("button", name="Read the lists"))
    editor.shoot("main-preview")
    editor.click(page.get_by_role("button", name="Save"))
    editor.shoot("round-entered")

    editor.click(page.get_by_role("button", name="Mark the round completed"))
    assert editor.actions <= MOST_ACTIONS, f"{editor.actions} actions"
    print(f"The Montréal round took {editor.actions} editor actions.")

    # What fans see.
    main = Race.objects.get(round__slug="montreal", slug="main-race")
    page.goto(live_server.url + main.get_absolute_url())
    table = page.locator("#results-nations-cup-main-race")
    assert table.locator("tbody tr").count() == 12
    first = table.locator("tbody tr").first
    assert "Takuma Miyazono" in first.inner_text()
    assert "+1:05.950" in table.inner_text()
    assert list(main.grid_slots.order_by("position").values_list("driver__name", flat=True)) == [
        "Kylian Drumont",
        "Takuma Miyazono",
        "Takuma Sasaki",
        "Valerio Gallo",
    ]
    assert main.laps == 35 and main.penalties.count() == 2
    assert sorted(main.stints.values_list("driver__name", "compound", "first_lap", "last_lap")) == [
        ("Angel Inostroza", "H", 1, 1),
        ("Calen Roach", "H", 1, 1),
        ("Guy Barbara", "H", 1, 1),
        ("Jose Serrano", "H", 34, 35),
        ("Jose Serrano", "S", 1, 33),
        ("Kylian Drumont", "S", 1, 10),
        ("Robert Heck", "H", 1, 1),
        ("Takuma Miyazono", "M", 1, None),
        ("Takuma Sasaki", "M", 1, None),
    ]
    assert main.pit_stops.count() == 6
