"""Screenshots for reviewers (written to test-results/, never committed)."""

from pathlib import Path

from site_pages import pages_with_snippets

OUT = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def test_screenshots_of_home_and_a_snippet_page_in_each_language(browser, served_site):
    url, site = served_site
    snippet_page = next(iter(pages_with_snippets(site)), "bygga-distribuerade-system/")
    snippet_page = snippet_page.removeprefix("en/")
    shots = {
        "sv-home": "", "en-home": "en/",
        "sv-snippets": snippet_page, "en-snippets": "en/" + snippet_page,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for name, path in shots.items():
        page.goto(url + path)
        target = OUT / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000, target  # a real render, not a blank page
    context.close()
