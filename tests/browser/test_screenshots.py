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


# The three pages with the most diagram text and the page with the most tabs.
READER_VIEWS = {"gitops": "infrastruktur-som-kod/", "shutdown": "halsokontroller/", "events": "handelsedriven-arkitektur/"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
# Both schemes on the phone, light on the desktop: dark on the desktop has
# the phone's colours and the desktop's layout, both already shot.
VIEWS = [("phone", "light"), ("phone", "dark"), ("desktop", "light")]
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_screenshots_of_diagram_pages_and_a_tabbed_page_on_phone_and_desktop(browser, served_site):
    url, _ = served_site
    OUT.mkdir(parents=True, exist_ok=True)
    for device, scheme in VIEWS:
        context = browser.new_context(viewport=VIEWPORTS[device], color_scheme=scheme)
        page = context.new_page()
        for language, prefix in (("sv", ""), ("en", "en/")):
            for name, path in READER_VIEWS.items():
                page.goto(url + prefix + path)
                page.locator("figure.diagram").last.scroll_into_view_if_needed()
                # A jump of many screens draws the code blocks it lands
                # among first (content-visibility); without a GPU the
                # first frame after the jump can still be empty.
                page.evaluate(NEXT_FRAMES)
                target = OUT / f"{language}-{name}-{device}-{scheme}.png"
                page.screenshot(path=str(target))
                assert target.stat().st_size > 10_000, target
            page.goto(url + prefix + "infrastruktur-som-kod/")
            page.locator(".tabbed-set").first.scroll_into_view_if_needed()
            target = OUT / f"{language}-tabs-{device}-{scheme}.png"
            page.screenshot(path=str(target))
            assert target.stat().st_size > 10_000, target
        context.close()
