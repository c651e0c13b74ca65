"""Every kind of public page at 360, 768 and 1280 px (issue 14): nothing wider than the screen, no
table row with a cell outside it on a phone, no visible text under 11 CSS px. A full-page screenshot
of each page at each width goes to tests/artifacts/<page>-<width>.png for review (never committed).

One browser and one page, resized for each width; the demo is loaded once per width.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from results.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "season": "/2024/",
    "competition-season": "/2024/nations-cup/",
    "round": "/2024/montreal/",
    "race": "/2024/montreal/nations-cup/main-race/",
    "sprint": "/2024/montreal/nations-cup/sprint-race/",
    "standings": "/2024/nations-cup/standings/",
    "title": "/2024/nations-cup/title/",
    "report": "/reports/2024-montreal-nations-cup-miyazono-leads/",
    "driver": "/drivers/takuma-miyazono/",
    "nation": "/nations/es/",
    "team": "/teams/red-bull/",
    "track": "/tracks/michelin-raceway-road-atlanta/",
    "car": "/cars/red-bull-x2019-competition/",
    "drivers": "/drivers/",
    "nations": "/nations/",
    "teams": "/teams/",
    "tracks": "/tracks/",
    "cars": "/cars/",
    "reports": "/reports/",
    "predictions": "/predictions/2024/",
    "predictions-nation": "/predictions/2024/nations/es/",
    "search": "/search/?q=montreal",
    "sign-in": "/accounts/login/",
}
WIDTHS = [360, 768, 1280]
SMALLEST_TEXT = 11  # CSS px

# Each table with rows that have a cell (td or th) whose box leaves the viewport:
# "<table id>: <n> of <rows> rows, e.g. “<cell text>” at <left>–<right> px".
ROWS_OUTSIDE = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  document.querySelectorAll("main table").forEach((table, t) => {
    let outside = 0, example = "";
    for (const row of table.rows) {
      for (const cell of row.cells) {
        const box = cell.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;  // not drawn (in a closed <details>, hidden)
        if (box.left < -0.5 || box.right > width + 0.5) {
          outside += 1;
          const where = `${Math.round(box.left)}–${Math.round(box.right)} px`;
          example = example || `“${cell.innerText.trim().slice(0, 30)}” at ${where}`;
          break;
        }
      }
    }
    const name = table.id || "table " + (t + 1);
    if (outside) out.push(`${name}: ${outside} of ${table.rows.length} rows, e.g. ${example}`);
  });
  return out;
}"""

# Each visible text drawn under the smallest size, with its size: SVG text counts at its scale on screen.
SMALL_TEXTS = """(smallest) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || element.closest("title, desc, script, style, noscript")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // not drawn, or visually hidden for screen readers
    let size = parseFloat(getComputedStyle(element).fontSize);
    if (element instanceof SVGElement && element.ownerSVGElement) {
      const matrix = element.getScreenCTM();
      if (matrix) size *= Math.hypot(matrix.a, matrix.b);
    }
    if (size < smallest - 0.01) out.push(`“${text.slice(0, 30)}” at ${size.toFixed(1)} px`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def tab(browser):
    """The one page every check reuses (JavaScript off: pages work without it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_fits_the_screen_and_reads(tab, live_server, artifacts, width):
    load_demo()
    tab.set_viewport_size({"width": width, "height": 900})
    wider, rows, small = [], [], []
    for name, path in PAGES.items():
        response = tab.goto(live_server.url + path)
        assert response.status == 200, path
        tab.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wider.append(f"{name} ({path}): {scroll} px")
        if width == 360:
            rows += [f"{name}: {row}" for row in tab.evaluate(ROWS_OUTSIDE)]
        small += [f"{name}: {text}" for text in tab.evaluate(SMALL_TEXTS, SMALLEST_TEXT)]
    problems = (
        [f"page wider than {width} px: {line}" for line in wider]
        + [f"row with a cell outside the screen: {line}" for line in rows]
        + [f"text under {SMALLEST_TEXT} px: {line}" for line in small]
    )
    assert not problems, f"{len(problems)} problems at {width} px:\n" + "\n".join(problems)


REAL_SEASON = Path(__file__).parent.parent / "data" / "gtws-2024-real.json"
TITLE_RACES = {
    "title-before-the-world-finals": "/2024/nations-cup/title/?after_round=3",
    "title-before-the-grand-final": "/2024/nations-cup/title/?after_race=world-finals/race-2",
    "standings-before-the-world-finals": "/2024/nations-cup/standings/?after_round=3",
}


def test_the_real_title_race_fits_a_phone(tab, live_server, artifacts):
    """The longest needs (before the 2024 Grand Final) wrap inside the table at 360 px."""
    call_command("import_results", str(REAL_SEASON), stdout=io.StringIO())
    tab.set_viewport_size({"width": 360, "height": 900})
    problems = []
    for name, path in TITLE_RACES.items():
        response = tab.goto(live_server.url + path)
        assert response.status == 200, path
        tab.screenshot(path=str(artifacts / f"{name}-360.png"), full_page=True)
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > 360:
            problems.append(f"{name}: {scroll} px wide")
        problems += [f"{name}: {row}" for row in tab.evaluate(ROWS_OUTSIDE)]
        problems += [f"{name}: {text}" for text in tab.evaluate(SMALL_TEXTS, SMALLEST_TEXT)]
    assert not problems, "\n".join(problems)
