"""Loading each kind of page: nothing from other hosts, no console errors."""

from urllib.parse import urlsplit

import pytest

from site_pages import pages_with_snippets

PAGE_TYPES = {
    "sv home": "",
    "sv article": "bygga-distribuerade-system/",
    "en home": "en/",
    "en article": "en/bygga-distribuerade-system/",
    "sv get started": "kom-igang/",
}


def page_types(site):
    types = dict(PAGE_TYPES)
    for path in pages_with_snippets(site)[:1]:
        types["snippet page"] = path
    return types


def test_each_page_type_loads_only_from_this_site_without_console_errors(browser, served_site):
    url, site = served_site
    host = urlsplit(url).netloc
    types = page_types(site)
    problems = []
    for label, path in types.items():
        context = browser.new_context()
        page = context.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + path, wait_until="networkidle")
        # Opening search loads the worker and the index: part of every page.
        page.locator("input.md-search__input").click()
        page.wait_for_load_state("networkidle")
        foreign = [r for r in requests if urlsplit(r).scheme in ("http", "https") and urlsplit(r).netloc != host]
        problems += [f"{label}: requested {r}" for r in foreign]
        problems += [f"{label}: console error: {e}" for e in errors]
        assert any("search_index.json" in r for r in requests), f"{label}: search index never loaded"
        context.close()
    assert not problems, "\n".join(problems)
