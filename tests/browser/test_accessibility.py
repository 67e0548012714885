"""axe-core, run in the browser on every built page of both languages: on a
desktop in light mode and on a 390 px phone in dark mode (colours, and what
only a narrow screen shows or makes scroll)."""

import pytest
from site_pages import all_pages

from frontend_tools import node_module

BLOCKING = {"serious", "critical"}
VIEWS = {
    "desktop-light": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
    # No touch screen: keyboard rules are for keyboard readers, and on a touch
    # screen Material leaves the first wide code block unfocusable (it scrolls
    # by touch there).
    "phone-dark": {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark", "is_mobile": True},
}
# axe scrolls to each element whose colours it checks. Code blocks drawn on
# the way (content-visibility) change the page's height under it, and it
# would judge an element against what is now where the element was. Drawn
# up front, as for a reader who has scrolled the page once.
DRAW_EVERY_BLOCK = "document.querySelectorAll('.md-typeset .highlight').forEach(b => b.style.contentVisibility = 'visible')"


def blocking(page, url: str) -> dict[str, dict]:
    """The serious and critical violations on the page at url, by rule."""
    page.goto(url, wait_until="load")
    page.evaluate(DRAW_EVERY_BLOCK)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return {v["id"]: v for v in violations if v["impact"] in BLOCKING}


@pytest.mark.parametrize("view", VIEWS)
def test_no_page_has_serious_or_critical_accessibility_violations(browser, served_site, view):
    url, site = served_site
    axe = node_module("axe-core", "axe.min.js")
    pages = all_pages(site)
    assert len(pages) >= 4
    context = browser.new_context(**VIEWS[view])
    context.add_init_script(path=str(axe))  # compiled once, not injected per page
    page = context.new_page()
    problems = []
    for path in pages:
        found = blocking(page, url + path)
        # A colour read while Material still fades something in (it mounts
        # code blocks and the back-to-top button as axe scrolls) is not
        # what the reader sees: a real fault is there again on a fresh load.
        if found:
            again = blocking(page, url + path)
            found = {rule: v for rule, v in found.items() if rule in again}
        for v in found.values():
            targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            problems.append(f"/{path} ({view}): {v['impact']} {v['id']}: {v['help']} ({targets})")
    context.close()
    assert not problems, "\n".join(problems)
