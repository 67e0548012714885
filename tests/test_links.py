"""Every link of the served site, both languages, and every fragment in them.

linkchecker crawls for the links. Fragments are checked here, with each
page parsed once: linkchecker's AnchorCheck keeps the fragment in its cache
key, so it downloads and parses a page again for every distinct #fragment
that links to it (about 470 downloads for 40 pages, ten times the crawl)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

from link_checking import check_links


def test_linkchecker_finds_no_broken_link(served_site):
    url, _ = served_site
    checked, output = check_links(url, url + "en/")
    # A crawl that never left the start pages would also find no errors.
    assert checked >= 40, output


class _LinksAndTargets(HTMLParser):
    """A page's link targets (href of a and link) and its fragment targets
    (id, and name on a, as browsers scroll to either)."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.targets: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.targets.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.targets.add(attrs["name"])
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(page: Path) -> _LinksAndTargets:
    parser = _LinksAndTargets()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _site_file(site: Path, url: str, address: str) -> Path | None:
    """The built file an address of this site is served from, None if the
    address is elsewhere."""
    if not address.startswith(url):
        return None
    path = site / address.removeprefix(url)
    return path / "index.html" if address.endswith("/") else path


def test_every_fragment_lands_on_its_target(served_site):
    url, site = served_site
    pages = {page: _parse(page) for page in site.rglob("*.html")}
    broken, checked = [], 0
    for page, parsed in pages.items():
        relative = page.relative_to(site).as_posix()
        page_url = url + relative.removesuffix("index.html")
        for href in parsed.hrefs:
            address, fragment = urldefrag(urljoin(page_url, href))
            target = _site_file(site, url, address)
            if not fragment or target is None:
                continue
            checked += 1
            if target not in pages:
                broken.append(f"/{relative}: {href} leads to no page of the site")
            elif unquote(fragment) not in pages[target].targets:
                broken.append(f"/{relative}: {href}: no element with id {unquote(fragment)!r} on that page")
    assert len(pages) >= 20, sorted(pages)
    # Table-of-contents, permalink and cross-page links: hundreds when working.
    assert checked >= 300, checked
    assert not broken, "\n".join(broken[:30])
