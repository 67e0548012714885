"""Page weight: what a reader's browser downloads for a page, by kind.

The page is loaded in Debian's Chromium (Playwright) from the gzip server;
every finished request is recorded with its transferred size (encoded
body plus response headers, as DevTools counts it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

CATEGORIES = ("HTML", "CSS", "JS", "fonts", "search index", "other")
SETTLE_MS = 1500  # the search worker fetches its index after load


@dataclass
class Transfer:
    url: str
    resource_type: str  # Playwright's: document, stylesheet, script, font, fetch, ...
    bytes: int


@dataclass
class Weight:
    """Requests and bytes per category; the categories add up to the totals."""

    requests: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    bytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    total_requests: int = 0
    total_bytes: int = 0


def category(url: str, resource_type: str) -> str:
    path = urlparse(url).path
    if path.endswith("/search/search_index.json"):
        return "search index"
    if resource_type == "document" or path.endswith((".html", "/")):
        return "HTML"
    if resource_type == "stylesheet" or path.endswith(".css"):
        return "CSS"
    if resource_type == "script" or path.endswith((".js", ".mjs")):
        return "JS"
    if resource_type == "font" or path.endswith((".woff2", ".woff", ".ttf", ".otf")):
        return "fonts"
    return "other"


def summarise(transfers: list[Transfer]) -> Weight:
    weight = Weight()
    for transfer in transfers:
        kind = category(transfer.url, transfer.resource_type)
        weight.requests[kind] += 1
        weight.bytes[kind] += transfer.bytes
        weight.total_requests += 1
        weight.total_bytes += transfer.bytes
    return weight


def load(browser, url: str) -> list[Transfer]:
    """Every request a fresh browser context makes to show `url`."""
    context = browser.new_context()
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="networkidle")
        if response is None or not response.ok:
            raise SystemExit(f"bench: {url} did not load ({response.status if response else 'no response'})")
        page.wait_for_timeout(SETTLE_MS)
        transfers = []
        for request in finished:
            sizes = request.sizes()
            transfers.append(Transfer(request.url, request.resource_type,
                                      sizes["responseBodySize"] + sizes["responseHeadersSize"]))
        return transfers
    finally:
        context.close()
