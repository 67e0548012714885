"""Two languages, one site: Swedish at /, English at /en/, each page linked
to its other-language version, each language with its own search index."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.alternates = {}  # hreflang -> href in <head>
        self.switcher = {}  # hreflang -> href in the language menu

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "a" and "md-select__link" in (a.get("class") or "") and "hreflang" in a:
            self.switcher[a["hreflang"]] = a["href"]


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text())
    return head


def pages(site: Path):
    """(language, page path below the language root, html file) for every page."""
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        relative = "" if relative == "." else relative + "/"
        if relative.startswith("en/"):
            yield "en", relative[3:], html
        else:
            yield "sv", relative, html


def test_every_page_declares_its_language_and_links_the_same_page_in_the_other(served_site):
    url, site = served_site
    checked = 0
    for language, path, html in pages(site):
        head = parse(html)
        assert head.lang == language, html
        expected = {"sv": f"{url}{path}", "en": f"{url}en/{path}"}
        assert head.alternates == expected, html
        assert head.switcher == expected, html
        checked += 1
    assert checked >= 4


def test_every_swedish_page_exists_in_english(served_site):
    _, site = served_site
    for language, path, _ in pages(site):
        if language == "sv":
            assert (site / "en" / path / "index.html").is_file(), f"/en/{path} is missing"


def test_each_language_has_its_own_search_index(served_site):
    _, site = served_site
    swedish = json.loads((site / "search" / "search_index.json").read_text())
    english = json.loads((site / "en" / "search" / "search_index.json").read_text())
    assert swedish["config"]["lang"] == ["sv"]
    assert english["config"]["lang"] == ["en"]
    sv_text = " ".join(d["text"] for d in swedish["docs"])
    # The English glossary names each term's Swedish counterpart on purpose.
    en_text = " ".join(d["text"] for d in english["docs"] if not d["location"].startswith("ordlista/"))
    assert "kretsbrytare" in sv_text and "kretsbrytare" not in en_text
    assert "circuit breakers" in en_text.lower()


def test_navigation_labels_are_translated(served_site):
    _, site = served_site
    assert re.search(r'md-nav__link.*?>\s*Artikeln', (site / "index.html").read_text(), re.S)
    assert re.search(r'md-nav__link.*?>\s*The article', (site / "en" / "index.html").read_text(), re.S)


def test_article_keeps_its_metadata_in_both_languages(served_site):
    _, site = served_site
    for prefix, label in (("", "Författare"), ("en/", "Author")):
        html = (site / prefix / "bygga-distribuerade-system" / "index.html").read_text()
        assert label in html and "Gerard Webb" in html and 'datetime="2024-11-20"' in html
        assert "md-tag" in html  # tags shown


def test_untranslated_page_falls_back_to_swedish_with_a_notice(project):
    project.write("docs/sv/bara-svenska.md", "# Bara på svenska\n\nDen här sidan finns bara på svenska.\n")
    assert project.verify().returncode == 0
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = (project.root / "site" / "en" / "bara-svenska" / "index.html").read_text()
    assert "Not translated yet" in html
    assert '<div lang="sv">' in html and "Den här sidan finns bara på svenska." in html
    assert '<html lang="en"' in html
