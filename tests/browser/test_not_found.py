"""The page a reader meets at an address that does not exist, served as
GitHub Pages serves it (the root 404.html for every missing path, /en/
included): both languages, styled, with a way on to each home page, to
"Kom igång" and to search. And no empty banner above the header anywhere."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest

from site_server import StaticHandler, free_port

MISSING = ["finns/inte/", "en/no/such/page/", "en/varfor-go/typo"]


class PagesLikeHandler(StaticHandler):
    """A missing path gets the root 404.html with status 404, like GitHub Pages."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def pages_server(site: Path, port: int):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(PagesLikeHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def pages_site(served_site):
    """The built site once more, on its own port, served like GitHub Pages.
    The site was built for served_site's address, so links point there."""
    url, site = served_site
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with pages_server(site, free_port()) as missing_url:
        yield url, missing_url, port


@pytest.mark.parametrize("missing", MISSING)
def test_missing_page_is_bilingual_styled_and_leads_on(browser, pages_site, missing):
    site_url, missing_url, _ = pages_site
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    response = page.goto(missing_url + missing)
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Sidan finns inte"
    assert page.locator("[lang=en] h2").inner_text() == "Page not found"
    # Material's stylesheet loaded from the site root, whatever the depth.
    header = page.locator(".md-header").evaluate("h => getComputedStyle(h).position")
    assert header in ("sticky", "fixed"), header
    links = dict(zip(page.locator(".not-found a").all_inner_texts(),
                     page.locator(".not-found a").evaluate_all("as => as.map(a => a.href)")))
    assert links["Startsidan"] == site_url
    assert links["The English home page"] == site_url + "en/"
    assert links["Kom igång"] == site_url + "kom-igang/"
    assert links["Get started"] == site_url + "en/kom-igang/"
    page.locator("label.not-found__search").first.click()
    page.wait_for_function("document.getElementById('__search').checked", timeout=5000)
    assert page.locator("input.md-search__input").is_visible()
    page.goto(links["Get started"])
    assert page.locator("h1").inner_text().startswith("Get started")
    context.close()


@pytest.mark.parametrize("path", ["", "en/", "varfor-go/", "en/varfor-go/"])
def test_no_empty_banner_above_the_header(page, served_site, path):
    url, _ = served_site
    page.goto(url + path)
    assert page.locator(".md-banner").count() == 0
    assert page.locator("[data-md-component=announce]").evaluate("a => a.getBoundingClientRect().height") == 0
