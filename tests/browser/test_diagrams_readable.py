"""Diagrams a reader can read on a phone and on a desktop: no text smaller
than 12 CSS px at 390 px or at 1440 px (a wide diagram scrolls in its own
box instead of shrinking), a button that opens each one full size, and a
text alternative for whoever cannot see it."""

from __future__ import annotations

import pytest

# The pages whose diagrams are the largest: the GitOps sequence, the
# shutdown sequence and the rollout, the event flow, the breaker.
DIAGRAM_PAGES = ["infrastruktur-som-kod/", "halsokontroller/", "handelsedriven-arkitektur/", "arkitekturmonster/"]
PREFIX = {"sv": "", "en": "en/"}
WIDTHS = {"phone": 390, "desktop": 1440}

# Every non-empty text of every diagram: its font size on screen (font size
# times the SVG's scale) in CSS px.
TEXT_SIZES = """() => [...document.querySelectorAll('.diagram svg')].map(svg =>
  Math.min(...[...svg.querySelectorAll('text, tspan')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)))"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", PREFIX)
@pytest.mark.parametrize("path", DIAGRAM_PAGES)
def test_no_diagram_text_is_smaller_than_12_px(browser, served_site, path, language, width):
    url, _ = served_site
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 800})
    page = context.new_page()
    page.goto(url + PREFIX[language] + path)
    sizes = page.evaluate(TEXT_SIZES)
    context.close()
    assert sizes, f"{path}: no diagram"
    assert min(sizes) >= 12 - 0.01, f"{PREFIX[language]}{path} at {WIDTHS[width]} px: smallest texts {sizes}"


@pytest.mark.parametrize("language", PREFIX)
def test_a_wide_diagram_scrolls_in_its_own_box_not_the_page(browser, served_site, language):
    url, _ = served_site
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(url + PREFIX[language] + "infrastruktur-som-kod/")
    widths = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
        window: window.innerWidth,
        box: [...document.querySelectorAll('.diagram__scroll')].map(b => [b.scrollWidth, b.clientWidth])})""")
    context.close()
    assert widths["page"] <= widths["window"], widths
    assert any(scroll > client for scroll, client in widths["box"]), widths


@pytest.mark.parametrize("language", PREFIX)
def test_each_diagram_opens_full_size_and_closes_again(browser, served_site, language):
    url, _ = served_site
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(url + PREFIX[language] + "halsokontroller/")
    figures = page.locator("figure.diagram")
    assert figures.count() == 3
    for i in range(figures.count()):
        figure = figures.nth(i)
        button = figure.locator("button.diagram__toggle")
        before = figure.locator("svg").bounding_box()["width"]
        button.click()
        box = figure.bounding_box()
        assert box["width"] >= 390 - 1 and box["height"] >= 800 - 1, box  # the whole window
        natural = figure.locator("svg").evaluate("svg => svg.viewBox.baseVal.width")
        assert abs(figure.locator("svg").bounding_box()["width"] - natural) < 1
        assert figure.locator("svg").bounding_box()["width"] >= before
        assert button.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert figure.evaluate("f => getComputedStyle(f).position") == "static"
    context.close()


@pytest.mark.parametrize("language", PREFIX)
@pytest.mark.parametrize("path", DIAGRAM_PAGES)
def test_each_diagram_has_a_caption_and_an_accessible_name(page, served_site, path, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + path)
    figures = page.locator("figure.diagram")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        caption = figure.locator("figcaption span").inner_text().strip()
        assert len(caption) > 15, caption
        # Mermaid names the SVG by its accTitle (aria-labelledby its <title>).
        name = figure.locator("svg").evaluate(
            "svg => (svg.getAttribute('aria-labelledby') || '').split(' ')"
            ".map(id => document.getElementById(id)?.textContent || '').join(' ').trim()")
        assert name == caption, (name, caption)
