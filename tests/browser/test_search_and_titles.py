"""What search and the browser's tab show a reader: search excerpts made of
prose, never of diagram labels run together, and a home page title that
says what the site is, unlike any other page's."""

from __future__ import annotations

import html
import json
import re

import pytest

PREFIX = {"sv": "", "en": "en/"}


def labels_of_diagrams(page_html: str) -> list[str]:
    labels = []
    for svg in re.findall(r'<div class="diagram__scroll"[^>]*>(.*?)</div><figcaption', page_html, re.S):
        labels += [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", t)).split())
                   for t in re.findall(r"<text\b.*?</text>", svg, re.S)]
    return [label for label in labels if len(label) >= 12]


def prose_of(page_html: str) -> str:
    article = page_html[page_html.index("<article"):page_html.index("</article>")]
    article = re.sub(r'<div class="diagram__scroll".*?</div><figcaption', " ", article, flags=re.S)  # captions stay
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


@pytest.mark.parametrize("language", PREFIX)
def test_search_index_holds_no_diagram_labels(served_site, language):
    _, site = served_site
    index = json.loads((site / PREFIX[language] / "search" / "search_index.json").read_text())
    checked = 0
    for page in sorted((site / PREFIX[language]).glob("*/index.html")):
        built = page.read_text()
        prose = prose_of(built)
        indexed = " ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", d["text"])).split())
                           for d in index["docs"] if d["location"].split("#")[0] == page.parent.name + "/")
        for label in labels_of_diagrams(built):
            if label in prose:
                continue  # the text says it too
            checked += 1
            assert label not in indexed, f"{page.parent.name}: diagram label {label!r} is in the search index"
        assert not re.search(r"Visa i full storlek|Open full size", indexed), page.parent.name
    assert checked >= 10, checked


@pytest.mark.parametrize("language", PREFIX)
def test_home_page_title_says_what_the_site_is(page, served_site, language):
    url, site = served_site
    titles = {}
    for built in sorted((site / PREFIX[language]).glob("*/index.html")):
        if built.parent.name not in ("en", "search"):
            titles[built.parent.name] = re.search(r"<title>(.*?)</title>", built.read_text()).group(1)
    page.goto(url + PREFIX[language])
    home = page.title()
    assert home not in titles.values(), (home, titles)
    assert re.search(r"kunskapsbas|knowledge base", home), home
    assert len(set(titles.values())) == len(titles), titles
