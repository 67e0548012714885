"""One reading order: the pages "Kom igång" tells a new reader to read, in
its order, are the order of the sidebar, of the footer's previous/next and
of the home page's cards; the pages for maintainers sit apart, after the
reader's sections."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

import pytest

PREFIX = {"sv": "", "en": "en/"}
MAINTAINER_PAGES = ["bidra/", "oversattningar/"]
MAINTAINER_SECTION = {"sv": "För dig som underhåller", "en": "For maintainers"}


def page_of(url: str, root: str) -> str:
    """A link's page below the language root, e.g. 'varfor-go/' ('./' for the root)."""
    return posixpath.relpath(urlsplit(url).path, urlsplit(root).path) + "/"


def in_order(links: list[str], root: str) -> list[str]:
    """The pages the links lead to, each once, in order, without the home page."""
    return list(dict.fromkeys(p for p in (page_of(link, root) for link in links) if p != "./"))


def get_started_order(page, root: str) -> list[str]:
    page.goto(root + "kom-igang/")
    links = page.locator("article li.task-list-item > a:first-of-type, article li.task-list-item p > a:first-of-type")
    hrefs = [href.split("#")[0] for href in links.evaluate_all("as => as.map(a => a.href)")]
    return in_order(hrefs, root)


def next_page(page, root: str) -> str:
    """The page the footer's "next" link of the open page leads to."""
    return page_of(page.locator("a.md-footer__link--next").evaluate("a => a.href"), root)


@pytest.mark.parametrize("language", PREFIX)
def test_sidebar_footer_and_home_follow_the_get_started_order(page, served_site, language):
    url, _ = served_site
    root = url + PREFIX[language]
    order = get_started_order(page, root)
    assert len(order) >= 8, order  # the path leads through every reader's section

    # The sidebar as each page of the path shows it (with navigation.prune a
    # page lists only its own section's pages): always in the path's order,
    # and together every page of it. And the footer's "next", from Kom igång
    # on, walks the reading order: each page is read once for both.
    walked = [next_page(page, root)]  # the page is still on Kom igång
    listed = set()
    for here in order:
        page.goto(root + here)
        sidebar = in_order(page.locator("nav.md-nav--primary a.md-nav__link[href]").evaluate_all(
            "as => as.map(a => a.href)"), root)
        shown = [p for p in sidebar if p in order]
        assert shown == [p for p in order if p in shown], f"sidebar on {here}: {sidebar}"
        assert sidebar.index("kom-igang/") < sidebar.index(shown[0]), f"sidebar on {here}: {sidebar}"
        listed |= set(shown)
        if len(walked) < len(order):
            walked.append(next_page(page, root))
    assert listed == set(order), listed
    assert walked == order, f"previous/next: {walked}"

    page.goto(root)
    cards = in_order(page.locator("article .grid.cards a").evaluate_all("as => as.map(a => a.href)"), root)
    assert cards == order, f"home page cards: {cards}"


@pytest.mark.parametrize("language", PREFIX)
def test_maintainer_pages_sit_apart_after_the_reader_sections(page, served_site, language):
    url, _ = served_site
    root = url + PREFIX[language]
    page.goto(root)
    sections = page.locator("nav.md-nav--primary > ul > li.md-nav__item--section")
    names = [sections.nth(i).locator("> label, > .md-nav__link").first.inner_text().strip()
             for i in range(sections.count())]
    assert names[-1] == MAINTAINER_SECTION[language], names
    last = in_order(sections.last.locator("a[href]").evaluate_all("as => as.map(a => a.href)"), root)
    assert sorted(last) == sorted(MAINTAINER_PAGES), last
    before = in_order(page.locator("nav.md-nav--primary a.md-nav__link[href]").evaluate_all(
        "as => as.map(a => a.href)"), root)
    assert sorted(before[-2:]) == sorted(MAINTAINER_PAGES), before
