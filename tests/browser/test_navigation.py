"""The sidebar still leads to every page with `navigation.prune` on: on a
desktop every section and page of the configured navigation is in the
sidebar; on a 390 px phone in dark mode every one is reached through the
drawer from the home page, section by section, with nothing over its link,
and a tap on a section's link opens its page."""

from __future__ import annotations

from itertools import groupby

import pytest
from playwright.sync_api import expect

from verify.extract import config

START = "halsokontroller/"  # a page inside a section: pruning keeps only what is visible from here
CONFIGS = {"": "mkdocs.yml", "en/": "mkdocs.en.yml"}


def nav_entries(config_file: str) -> list[tuple[str | None, str]]:
    """(section title or None, page URL path) for every page of the configured nav."""
    entries = []
    for item in config(config_file)["nav"]:
        (title, target), = item.items() if isinstance(item, dict) else ((None, item),)
        for page in target if isinstance(target, list) else [target]:
            path = page if isinstance(page, str) else next(iter(page.values()))
            url = "" if path == "index.md" else path.removesuffix(".md") + "/"
            entries.append((title if isinstance(target, list) else None, url))
    return entries


@pytest.mark.parametrize("prefix", CONFIGS)
def test_desktop_sidebar_links_every_page_of_the_navigation(browser, served_site, prefix):
    url, _ = served_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + prefix + START)
    links = page.locator(".md-sidebar--primary a.md-nav__link:visible")
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    for section, path in nav_entries(CONFIGS[prefix]):
        target = url + prefix + path
        if target == page.url:  # the page the reader is on is marked, not linked
            continue
        assert target in hrefs, f"{prefix}{path} (section {section}) is not in the sidebar: {hrefs}"
        box = links.nth(hrefs.index(target)).bounding_box()
        assert box and box["width"] > 0 and box["x"] < 1280, f"{prefix}{path} is in the sidebar but off screen"
    context.close()


@pytest.mark.parametrize("prefix", CONFIGS)
def test_phone_drawer_reaches_every_page_section_by_section(browser, served_site, prefix):
    url, _ = served_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    for section, entries in groupby(nav_entries(CONFIGS[prefix]), key=lambda entry: entry[0]):
        page.goto(url + prefix)  # the home page: every section is pruned to its label
        page.locator('label.md-header__button[for="__drawer"]').click()
        drawer = page.locator(".md-sidebar--primary nav.md-nav--primary")
        if section:
            label = drawer.locator("label.md-nav__link", has_text=section).first
            expect(label).to_be_visible()
            label.click()
        reachable = []
        for _, path in entries:
            target = url + prefix + path
            if target == page.url:  # the page the reader is on is marked, not linked
                expect(drawer.locator(".md-nav__link--active").first).to_be_visible()
                continue
            # Links are written relative to the home page; the section's panel
            # slides in and its links turn visible when it has arrived.
            link = drawer.locator(f'a.md-nav__link[href="{path}"]:visible').first
            try:
                expect(link).to_be_visible(timeout=3000)
            except AssertionError:
                hrefs = drawer.locator("a.md-nav__link:visible").evaluate_all("links => links.map(a => a.href)")
                pytest.fail(f"{prefix}{path} is not reachable in the drawer (section {section}); visible: {hrefs}")
            # Every check a tap makes (in view, still, not covered), without tapping.
            link.click(trial=True, timeout=3000)
            reachable.append((link, target))
        # One tap per section, on its last page: the panel's links do open pages.
        link, target = reachable[-1]
        link.click()
        expect(page).to_have_url(target)
    context.close()
