"""The glossary: one page per language listing every term of
docs/glossary.yml with a working link, and every term as a tooltip, with
that language's definition, on the content pages; never inside code."""

import html
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TERMS = yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text())
LANGUAGE_ROOT = {"sv": "", "en": "en/"}
REFERENCE_PAGES = {"ordlista", "taggar", "oversattningar"}  # list terms, explain none
ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


def article(page: Path) -> str:
    text = page.read_text()
    return text[text.index("<article"): text.index("</article>")]


def content_pages(site: Path, language: str):
    base = site / LANGUAGE_ROOT[language]
    for page in sorted(base.glob("*/index.html")):
        if page.parent.name not in REFERENCE_PAGES | {"en", "search"}:
            yield page


def test_every_term_is_a_tooltip_with_its_definition_in_both_languages(served_site):
    _, site = served_site
    for language in LANGUAGE_ROOT:
        tooltips = set()
        for page in content_pages(site, language):
            tooltips |= {(html.unescape(t), w) for t, w in ABBR.findall(article(page))}
        for term in TERMS:
            entry = term[language]
            definition = " ".join(entry["definition"].split())
            forms = entry.get("forms") or [entry["term"]]
            assert any((definition, form) in tooltips for form in forms), \
                f"{language}: no content page shows {entry['term']!r} with the tooltip {definition!r}"


def test_no_tooltip_inside_code(served_site):
    _, site = served_site
    checked = 0
    for page in site.rglob("index.html"):
        for block in CODE.finditer(page.read_text()):
            assert "<abbr" not in block.group(0), f"{page}: tooltip inside code: {block.group(0)[:200]}"
            checked += 1
    assert checked > 50


def test_glossary_page_lists_every_term_with_a_working_link(served_site):
    _, site = served_site
    for language, prefix in LANGUAGE_ROOT.items():
        page = site / prefix / "ordlista" / "index.html"
        # One section per term: its heading, then its meaning and its link.
        sections = re.findall(r'<h2 class="glossary-term" id="[^"]+">(.*?)<a class="headerlink".*?</h2>(.*?)(?=<h2|</article>)',
                              article(page) + "</article>", re.S)
        assert len(sections) == len(TERMS), f"{page}: {len(sections)} sections for {len(TERMS)} terms"
        listed = {}
        for heading, body in sections:
            term = html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()
            listed[term] = re.search(r'<a href="([^"]+)"', body).group(1)
        for term in TERMS:
            href = listed[term[language]["term"]]
            path, _, anchor = href.partition("#")
            target = (page.parent / path / "index.html").resolve()
            assert target.is_file(), f"{page}: {term[language]['term']} links to missing {href}"
            assert f'id="{anchor}"' in target.read_text(), f"{page}: {href} has no #{anchor}"
            assert path.strip("./").split("/")[-1] == term["page"].split(".md")[0]
