"""A built page loads nothing from any other host: no fonts, scripts,
styles or images from CDNs. Links in the prose may point anywhere."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Attributes through which a page loads something (not links a reader follows).
LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}
NAVIGATION_LINK_RELS = {"alternate", "canonical", "prev", "next"}


class Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for element, attr in LOADING:
            if tag == element and a.get(attr):
                if tag == "link" and set((a.get("rel") or "").split()) <= NAVIGATION_LINK_RELS:
                    continue
                self.urls.append(a[attr])
        if a.get("style"):
            self.urls += re.findall(r"url\(['\"]?([^)'\"]+)", a["style"])


def test_no_page_loads_anything_from_another_host(served_site):
    url, site = served_site
    host = urlsplit(url).netloc
    offenders = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 4
    for page in pages:
        parser = Loads()
        parser.feed(page.read_text())
        for loaded in parser.urls:
            absolute = urljoin(url + page.relative_to(site).as_posix(), loaded)
            if urlsplit(absolute).netloc not in ("", host):
                offenders.append(f"{page.relative_to(site)}: {loaded}")
    assert not offenders, "\n".join(offenders)


def test_no_stylesheet_or_script_fetches_from_another_host(served_site):
    _, site = served_site
    offenders = []
    for asset in list(site.rglob("*.css")):
        for loaded in re.findall(r"(?:url\(|@import\s+)['\"]?(https?:)?//([^/'\")]+)", asset.read_text()):
            offenders.append(f"{asset.relative_to(site)}: {loaded[1]}")
    assert not offenders, "\n".join(offenders)
    assert not any("fonts.googleapis" in p.read_text() for p in site.rglob("*.html"))


def test_diagrams_are_drawn_at_build_time_and_pages_load_no_mermaid(served_site):
    _, site = served_site
    pages = sorted(site.rglob("*.html"))
    with_diagram = [p for p in pages if re.search(r'<div class="diagram__scroll"[^>]*><svg', p.read_text())]
    assert len(with_diagram) >= 8  # at least four pages per language
    for page in pages:
        html = page.read_text()
        assert '<pre class="mermaid">' not in html, f"{page}: a diagram was left for the browser to draw"
        assert not re.search(r"<script[^>]+mermaid", html), f"{page}: loads Mermaid"
    assert not list(site.rglob("mermaid*.js")) + list(site.rglob("mermaid*.mjs"))
