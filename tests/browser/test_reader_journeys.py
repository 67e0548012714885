"""What a reader does on the site, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from site_pages import pages_with_snippets

DEEP_PAGE = "bygga-distribuerade-system/"


def switch_language(page, language: str) -> None:
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang={language}]")


def test_switching_language_on_a_deep_page_keeps_the_page(page, served_site):
    url, _ = served_site
    page.goto(url + DEEP_PAGE)
    switch_language(page, "en")
    expect(page).to_have_url(url + "en/" + DEEP_PAGE)
    assert page.get_attribute("html", "lang") == "en"
    switch_language(page, "sv")
    expect(page).to_have_url(url + DEEP_PAGE)
    assert page.get_attribute("html", "lang") == "sv"


def search(page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)  # typed, as the search listens for input
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=10_000)
    return results.evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("inflected", ["kretsbrytarna", "kretsbrytaren"])
def test_swedish_search_finds_a_page_by_an_inflected_form(page, served_site, inflected):
    url, _ = served_site
    page.goto(url)
    # The article says "kretsbrytare"; neither query form appears on it.
    hits = search(page, inflected)
    assert any(h.startswith(url + DEEP_PAGE) for h in hits), hits
    assert not any("/en/" in h for h in hits), hits


def test_english_search_finds_english_pages_only(page, served_site):
    url, _ = served_site
    page.goto(url + "en/")
    hits = search(page, "circuit breakers")
    assert hits and all(h.startswith(url + "en/") for h in hits), hits


def test_copy_button_copies_exactly_the_code_shown(page, served_site):
    url, site = served_site
    snippet_pages = pages_with_snippets(site)
    assert snippet_pages, "no page embeds a snippet"
    page.goto(url + snippet_pages[0])
    block = page.locator(".highlight").first
    shown = block.locator("code").evaluate("code => code.textContent")
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == shown.strip()
    assert "--8<--" not in copied


def test_code_blocks_below_the_fold_mount_when_scrolled_to(page, served_site):
    """Material mounts code blocks lazily (content.lazy), which keeps long pages
    light on load; a block must still get its copy button once it is in view,
    and stay keyboard-focusable exactly when it scrolls (hooks/code_blocks.py)."""
    url, site = served_site
    page.goto(url + pages_with_snippets(site)[0])
    last = page.locator(".highlight").last
    assert last.locator("button[data-md-type=copy]").count() == 0, "every block was mounted on load"
    blocks = page.locator(".highlight pre > code")
    for i in range(blocks.count()):
        blocks.nth(i).scroll_into_view_if_needed()
    expect(last.locator("button[data-md-type=copy]")).to_have_count(1)
    # Mounting is asynchronous: give the last block's check a moment to land.
    page.wait_for_function("""() => [...document.querySelectorAll('.highlight pre > code')]
        .every(code => code.hasAttribute('tabindex') === (code.scrollWidth > code.clientWidth))""")

def test_dark_mode_toggle_works_and_is_remembered_across_languages(page, served_site):
    url, _ = served_site
    page.goto(url)
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.locator("label.md-header__button[for^=__palette]:visible").click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.goto(url + "en/" + DEEP_PAGE)
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"


def test_pages_show_their_title_in_the_reader_language(page, served_site):
    url, _ = served_site
    page.goto(url + "en/")
    assert re.search("Building distributed systems", page.title())


def test_get_started_checklist_remembers_what_the_reader_ticked(page, served_site):
    url, _ = served_site
    page.goto(url + "kom-igang/")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() >= 8
    # Named by hooks/checklists.py, so a box is found by its text.
    go = page.get_by_role("checkbox", name="Läs Varför Go", exact=False)
    go.focus()  # with the keyboard: the drawn box is a pseudo-element Playwright cannot click
    page.keyboard.press("Space")
    assert go.is_checked()
    page.reload()
    assert go.is_checked()
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())].count(True) == 1
    go.focus()
    page.keyboard.press("Space")
    page.reload()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
