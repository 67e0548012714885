"""Code blocks are laid out only near the viewport (content-visibility in
site.css); a reader following a link to a heading far down the page with
the most code still lands on that heading, and the blocks they scroll past
are drawn in full."""

from __future__ import annotations

import pytest

from site_pages import pages_with_snippets


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_a_link_to_the_last_heading_of_the_code_heaviest_page_lands_on_it(browser, served_site, viewport):
    url, site = served_site
    heaviest = pages_with_snippets(site)[0]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url + heaviest)
    last = page.locator(".md-content h2[id]").last.get_attribute("id")
    page.goto(url + heaviest + "#" + last)
    page.wait_for_timeout(1500)  # blocks near the viewport are laid out as the page settles
    top = page.locator(f"#{last}").evaluate("heading => heading.getBoundingClientRect().top")
    header = page.locator(".md-header").evaluate("header => header.getBoundingClientRect().height")
    assert header - 5 <= top <= header + 80, f"#{last} is at {top}px, not below the {header}px header"
    context.close()


def test_code_blocks_scrolled_past_are_drawn_at_their_full_height(browser, served_site):
    url, site = served_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + pages_with_snippets(site)[0])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(500)
    heights = page.locator(".md-typeset .highlight").evaluate_all(
        "blocks => blocks.map(b => [b.getBoundingClientRect().height, b.querySelector('code').scrollHeight])")
    for number, (box, code) in enumerate(heights):
        block = page.locator(".md-typeset .highlight").nth(number)
        block.scroll_into_view_if_needed()
        page.wait_for_timeout(100)
        box = block.evaluate("b => b.getBoundingClientRect().height")
        code = block.evaluate("b => b.querySelector('code').scrollHeight")
        assert box >= code, f"code block {number} is {box}px high but its code needs {code}px"
    context.close()
