"""Presentation mode in Chromium at a 1280x720 screen share and a 1920x1080 projector: every slide of the
regional deck is reached with the keys, nothing scrolls or overflows (no table scrolls inside either), the
type is large enough for a room (headline figures of at least 48 px, text of at least 20 px), and at 1080p
the slide grows rather than empties: the chart fills the same share of the height, under its title."""

from __future__ import annotations

import time

import pytest

from mirps_dash import slides
from tests import truth
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Elements whose content is cut or scrolls: the page itself, or any box that clips text it holds.
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const problems = [];
  if (root.scrollHeight > window.innerHeight + 1 || root.scrollWidth > window.innerWidth + 1) {
    problems.push(`page ${root.scrollWidth}x${root.scrollHeight}`);
  }
  // A table must be read whole on the slide: no scrollbar of its own (a data frame's grid, a plain table).
  const boxes = '[data-testid=stMain], [data-testid=stMainBlockContainer], [data-testid=stTable], ' +
    '[data-testid=stDataFrame] .dvn-scroller, [data-testid=stDataFrame] [data-testid=stDataFrameResizable]';
  for (const el of document.querySelectorAll(boxes)) {
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowY);
    if (scrolls && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`${el.dataset.testid || el.className} scrolls ${el.scrollHeight}>${el.clientHeight}`);
    }
    if (el.closest('[data-testid=stDataFrame], [data-testid=stTable]') &&
        (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      problems.push(`a table scrolls inside: ${el.scrollWidth}x${el.scrollHeight} in ` +
        `${el.clientWidth}x${el.clientHeight}`);
    }
  }
  return problems;
}"""
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll(
  "[data-testid=stMarkdownContainer] p, [data-testid=stCaptionContainer], h1")]
  .filter(el => el.offsetParent !== null && el.textContent.trim())
  .map(el => parseFloat(getComputedStyle(el).fontSize)))"""

# The bar above the slide: the vertical middle of each control and of the counter (the second column's text),
# and their type sizes.
TOOLBAR = """() => [...document.querySelector('[data-testid=stHorizontalBlock]').querySelectorAll(
  'button:not([data-testid=stSelectbox] button), [data-testid=stSelectbox] input, ' +
  '[data-testid=stColumn]:nth-child(2) [data-testid=stMarkdownContainer] > div')]
  .map(el => { const box = el.getBoundingClientRect(), text = el.querySelector('p') || el;
    return [el.textContent.trim() || el.value, box.top + box.height / 2, parseFloat(getComputedStyle(text).fontSize)]
  })"""


# Where the title and the chart stand on the screen, as drawn: [top, bottom, left, right] of each.
GEOMETRY = """() => {
  const box = el => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return [r.top, r.bottom, r.left, r.right];
  };
  const chart = document.querySelector('[data-testid=stVegaLiteChart] svg, [data-testid=stVegaLiteChart] canvas');
  return {title: box(document.querySelector('h1')), chart: box(chart)};
}"""


def check_geometry(geometry: dict, width: int, height: int, where) -> None:
    """The title stands clear above the chart, in at most two lines; the chart lies wholly on the screen and,
    at any size, fills at least the share of its height it fills at 1280x720 (430 px of 720)."""
    top, bottom, left, right = geometry["title"]
    assert bottom - top <= 2 * 1.2 * 42 * height / 720, (where, geometry)  # two lines of the largest title
    assert left >= 0 and right <= width + 1, (where, geometry)
    if geometry["chart"] is None:
        return
    chart_top, chart_bottom, chart_left, chart_right = geometry["chart"]
    assert bottom <= chart_top + 1, (where, geometry)
    assert chart_left >= 0 and chart_right <= width + 1 and chart_bottom <= height + 1, (where, geometry)
    assert (chart_bottom - chart_top) / height >= 0.55, (where, geometry)


CASES = [((1280, 720), "es", "region"), ((1280, 720), "en", "region"), ((1920, 1080), "es", "region")]
CASES += [((1920, 1080), "en", "region"), ((1280, 720), "es", "HND")]


@pytest.mark.parametrize(("size", "lang", "deck_name"), CASES, ids=lambda v: str(v))
def test_every_slide_by_keys_without_scrolling(server, browser, size, lang, deck_name):  # noqa: F811
    from playwright.sync_api import expect

    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/?lang={lang}&present=1&deck={deck_name}")
    deck = slides.deck(deck_name, workplan=time.localtime().tm_year in truth.workplan_years())
    for number in range(1, len(deck) + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"() => new URLSearchParams(window.location.search).get('slide') === '{number}'", timeout=TIMEOUT_MS
        )
        expect(page.locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_timeout(800)  # charts draw after the title
        if deck[number - 1].kind in ("headline", "country"):
            expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=TIMEOUT_MS)
            figure = page.evaluate(
                "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMetricValue]')).fontSize)"
            )
            assert figure >= 48, (number, figure)
        if number == 1:  # the counter sat 8 px below the buttons, the interval's choice in 14 px type
            toolbar = page.evaluate(TOOLBAR)
            middles = [middle for _, middle, _ in toolbar]
            assert len(toolbar) >= 5 and max(middles) - min(middles) <= 2, toolbar
            assert all(size >= 20 for _, _, size in toolbar), toolbar
        smallest = page.evaluate(SMALLEST_TEXT)
        assert smallest >= 20, (number, smallest)
        assert page.evaluate(OVERFLOW) == [], (number, deck[number - 1])
        check_geometry(page.evaluate(GEOMETRY), width, height, (number, deck[number - 1]))
        if number in (1, 2, len(deck)):
            page.screenshot(path=str(ARTIFACTS / f"present_{deck_name}_{lang}_{width}x{height}_slide{number}.png"))
    context.close()
