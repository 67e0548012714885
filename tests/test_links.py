"""linkchecker crawls the served site, both languages, links and anchors."""

from html.parser import HTMLParser
from urllib.parse import unquote

from link_checking import check_links


def test_linkchecker_finds_no_broken_link_or_anchor(served_site):
    url, _ = served_site
    checked, output = check_links(url, url + "en/")
    # A crawl that never left the start pages would also find no errors.
    assert checked >= 40, output


class _AnchorsAndIds(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fragments: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        href = attrs.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            self.fragments.add(unquote(href[1:]))


def test_same_page_anchors_exist(served_site):
    _, site = served_site
    missing = {}
    pages = list(site.rglob("*.html"))
    for page in pages:
        parser = _AnchorsAndIds()
        parser.feed(page.read_text(encoding="utf-8"))
        if lost := parser.fragments - parser.ids:
            missing[str(page.relative_to(site))] = sorted(lost)[:5]
    assert len(pages) >= 20, pages
    assert not missing, missing
