"""Glossary tooltips that mean what the word means where it stands: none
inside a longer term (pull request, rate limit, request-id), only the first
use of a term in a section, none in headings or on the glossary page; they
open on a tap; each term has its own anchor on the glossary page, where
search lands."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from site_server import ROOT

PREFIX = {"sv": "", "en": "en/"}
GLOSSARY_PAGE = "ordlista/"
TERMS = yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text())

# Every tooltip of the article: its word, the text around it, its section
# (the heading before it) and whether it sits in a heading.
TOOLTIPS = """() => {
  const article = document.querySelector('article');
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_ELEMENT);
  const found = []; let section = 0;
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    if (/^H[1-6]$/.test(el.tagName)) section++;
    if (el.tagName !== 'ABBR') continue;
    const before = el.previousSibling ? el.previousSibling.textContent : '';
    const after = el.nextSibling ? el.nextSibling.textContent : '';
    found.push({word: el.textContent, title: el.title, section, before: before.slice(-12), after: after.slice(0, 12),
                inHeading: !!el.closest('h1, h2, h3, h4, h5, h6')});
  }
  return found;
}"""


def content_pages(site, language):
    base = site / PREFIX[language]
    return sorted(p.parent.name + "/" for p in base.glob("*/index.html")
                  if p.parent.name not in {"en", "search", "taggar", "oversattningar"})


@pytest.mark.parametrize("language", PREFIX)
def test_tooltips_only_where_the_word_means_the_term(page, served_site, language):
    url, site = served_site
    problems, total = [], 0
    for path in content_pages(site, language):
        page.goto(url + PREFIX[language] + path)
        tooltips = page.evaluate(TOOLTIPS)
        total += len(tooltips)
        seen = set()
        for t in tooltips:
            where = f"{PREFIX[language]}{path} {t['word']!r} ({t['before']}|{t['after']})"
            if re.search(r"\b(pull|rate)[ -]$", t["before"]) or re.match(r"-id\b", t["after"]):
                problems.append(f"{where}: inside a longer term")
            if t["inHeading"]:
                problems.append(f"{where}: in a heading")
            if (t["section"], t["title"]) in seen:
                problems.append(f"{where}: second tooltip for the term in its section")
            seen.add((t["section"], t["title"]))
            if path == GLOSSARY_PAGE:
                problems.append(f"{where}: on the glossary page")
    assert total > 50, total
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", PREFIX)
def test_pull_request_is_never_a_resource_request(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "infrastruktur-som-kod/")
    text = page.locator("article").inner_text()
    assert "pull request" in text
    words = page.locator("article abbr").all_inner_texts()
    assert not any(w.startswith("request") for w in words), words


def test_a_tooltip_opens_on_a_tap(browser, served_site):
    url, _ = served_site
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(url + "varfor-go/")
    word = page.locator("article p abbr").first
    definition = word.get_attribute("title")  # Material takes it off once it mounts the tooltip
    word.scroll_into_view_if_needed()
    word.tap()
    tooltip = page.locator(".md-tooltip2--active").filter(has_text=definition)
    tooltip.first.wait_for(state="visible", timeout=5000)
    context.close()


@pytest.mark.parametrize("language", PREFIX)
def test_each_term_has_its_own_anchor_and_search_result(served_site, language):
    _, site = served_site
    glossary = (site / PREFIX[language] / GLOSSARY_PAGE / "index.html").read_text()
    index = json.loads((site / PREFIX[language] / "search" / "search_index.json").read_text())
    locations = {doc["location"]: doc for doc in index["docs"]}
    for term in TERMS:
        anchor = re.sub(r"[^a-z0-9]+", "-", term["en"]["term"].casefold()).strip("-")
        assert f'id="{anchor}"' in glossary, f"{language}: no #{anchor} on the glossary page"
        doc = locations.get(f"{GLOSSARY_PAGE}#{anchor}")
        assert doc, f"{language}: search has no entry for {GLOSSARY_PAGE}#{anchor}"
        assert term[language]["definition"].split()[0] in doc["text"], doc


def test_search_lands_on_the_term(page, served_site):
    url, _ = served_site
    page.goto(url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("kretsbrytare", delay=20)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("links => links.map(a => a.pathname + a.hash)")
    assert "/ordlista/#circuit-breaker" in hrefs, hrefs
