"""The demo's results and standings in Chromium at 360, 768 and 1280 px, JavaScript off: every row's
place, driver, gap and points inside the viewport, no sideways scrolling, no text under 11 px."""

import pytest

from results.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "race": (
        "/2024/montreal/nations-cup/main-race/",
        "#results-nations-cup-main-race",
        ("td.pos", "th", "td.gap", "td.pts"),
    ),
    "standings": ("/2024/nations-cup/standings/", "#standings", ("td.pos", "th", "td.gap", "td.pts")),
}

# Each cell's box, and every visible text in the table drawn under 11 CSS px.
MEASURE = """([table, selectors]) => {
  const rows = [...document.querySelector(table).querySelectorAll("tbody tr")].map(row =>
    selectors.map(selector => {
      const cell = row.querySelector(":scope > " + selector);
      if (!cell) return null;
      const box = cell.getBoundingClientRect();
      return {left: box.left, right: box.right, width: box.width, text: cell.innerText.trim()};
    }));
  const small = [];
  const walker = document.createTreeWalker(document.querySelector(table), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const element = walker.currentNode.parentElement;
    if (!text || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    const clipped = style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)";
    if (style.visibility !== "hidden" && !clipped && parseFloat(style.fontSize) < 11) {
      small.push(text + " at " + style.fontSize);
    }
  }
  return {rows, small, scrollWidth: document.scrollingElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", [360, 768, 1280])
@pytest.mark.parametrize("kind", PAGES)
def test_every_row_reads_inside_the_screen(browser, live_server, artifacts, kind, width):
    load_demo()
    path, table, selectors = PAGES[kind]
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + path)
    page.screenshot(path=str(artifacts / f"tables-{kind}-{width}.png"), full_page=True)
    seen = page.evaluate(MEASURE, [table, list(selectors)])
    context.close()

    assert seen["scrollWidth"] <= width
    assert len(seen["rows"]) == 12
    for cells in seen["rows"]:
        for selector, cell in zip(selectors, cells, strict=True):
            assert cell is not None, f"a row of {path} has no {selector}"
            assert cell["width"] > 0 and cell["text"], f"{selector} is not drawn: {cells}"
            assert cell["left"] >= 0 and cell["right"] <= width, f"{selector} {cell} is outside {width} px"
    assert seen["small"] == []


@pytest.mark.parametrize("width", [360, 1280])
def test_a_phone_moves_grid_and_tyres_to_a_second_line_and_a_wide_screen_keeps_the_columns(
    browser, live_server, width
):
    load_demo()
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + PAGES["race"][0])
    grid_heading = page.locator("#results-nations-cup-main-race thead th", has_text="Grid")
    second_line = page.locator("#results-nations-cup-main-race tbody tr").first.locator("dl.row-more")
    if width < 768:
        assert grid_heading.is_hidden() and second_line.is_visible()
        assert second_line.inner_text().replace("\n", " ").startswith("Grid 2 (+1)")
    else:
        assert grid_heading.is_visible() and second_line.is_hidden()
    context.close()
