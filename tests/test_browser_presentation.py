"""Presentation mode in Chromium at a 1280x720 screen share and a 1920x1080 projector: every slide of the
regional deck is reached with the keys, nothing scrolls or overflows, and the type is large enough for a
room (headline figures of at least 48 px, text of at least 20 px)."""

from __future__ import annotations

import pytest

from mirps_dash import slides
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Elements whose content is cut or scrolls: the page itself, or any box that clips text it holds.
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const problems = [];
  if (root.scrollHeight > window.innerHeight + 1 || root.scrollWidth > window.innerWidth + 1) {
    problems.push(`page ${root.scrollWidth}x${root.scrollHeight}`);
  }
  for (const el of document.querySelectorAll('[data-testid=stMain], [data-testid=stMainBlockContainer]')) {
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowY);
    if (scrolls && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`${el.dataset.testid} scrolls ${el.scrollHeight}>${el.clientHeight}`);
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


CASES = [((1280, 720), "es", "region"), ((1280, 720), "en", "region"), ((1920, 1080), "es", "region")]
CASES += [((1920, 1080), "en", "region"), ((1280, 720), "es", "HND")]


@pytest.mark.parametrize(("size", "lang", "deck_name"), CASES, ids=lambda v: str(v))
def test_every_slide_by_keys_without_scrolling(server, browser, size, lang, deck_name):  # noqa: F811
    from playwright.sync_api import expect

    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/?lang={lang}&present=1&deck={deck_name}")
    deck = slides.deck(deck_name)
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
        if number in (1, 2, len(deck)):
            page.screenshot(path=str(ARTIFACTS / f"present_{deck_name}_{lang}_{width}x{height}_slide{number}.png"))
    context.close()
