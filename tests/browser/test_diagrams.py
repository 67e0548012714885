"""Diagrams render to SVG in the reader's browser, in both languages, with
the site's own copy of Mermaid and nothing from another host.

Material draws each diagram into a closed shadow root, out of reach of page
scripts and Playwright's locators; the DevTools protocol pierces it."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

# Page -> a label of each diagram the site must have, per language: the order
# system's event flow, the circuit breaker's states, probes gating a rollout.
DIAGRAMS = {
    "arkitekturmonster/": {"sv": ["Betalleverantör", "Halvöppen"], "en": ["Payment provider", "Half-open"]},
    "halsokontroller/": {"sv": ["rollouten väntar", "maxUnavailable: 0"],
                         "en": ["the rollout waits", "maxUnavailable: 0"]},
}
PREFIX = {"sv": "", "en": "en/"}


def rendered_svgs(page, expected: int, timeout: float = 15) -> list[str]:
    """The SVG markup inside each diagram's shadow root, once all are drawn."""
    cdp = page.context.new_cdp_session(page)
    deadline = time.monotonic() + timeout
    while True:
        tree = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        svgs = [cdp.send("DOM.getOuterHTML", {"nodeId": node["nodeId"]})["outerHTML"]
                for node in _svgs_in_shadow_roots(tree)]
        if len(svgs) >= expected or time.monotonic() > deadline:
            cdp.detach()
            return svgs
        time.sleep(0.2)


def read_through(page) -> None:
    """Scroll to the end a screen at a time, as a reader does: Mermaid is
    loaded and a diagram drawn only once it comes near the viewport."""
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.evaluate("window.innerHeight")
    for y in range(0, height + step, step):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(100)


def _svgs_in_shadow_roots(node: dict, in_shadow: bool = False):
    if in_shadow and node.get("nodeName", "").lower() == "svg":
        yield node
        return
    for root in node.get("shadowRoots", []):
        yield from _svgs_in_shadow_roots(root, True)
    for child in node.get("children", []):
        yield from _svgs_in_shadow_roots(child, in_shadow)


@pytest.mark.parametrize("language", PREFIX)
@pytest.mark.parametrize("path", DIAGRAMS)
def test_diagrams_render_to_svg_with_this_sites_mermaid(browser, served_site, path, language):
    url, site = served_site
    address = url + PREFIX[language] + path
    expected = (site / PREFIX[language] / path / "index.html").read_text().count('<pre class="mermaid">')
    assert expected >= 2, f"{address}: the diagrams are missing from the built page"

    context = browser.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(address, wait_until="networkidle")
    read_through(page)
    svgs = rendered_svgs(page, expected)
    context.close()

    assert len(svgs) == expected, f"{address}: {len(svgs)} of {expected} diagrams rendered"
    assert not [s for s in svgs if "Syntax error" in s], f"{address}: Mermaid could not parse a diagram"
    drawn = "\n".join(svgs)
    for label in DIAGRAMS[path][language]:
        assert label in drawn, f"{address}: no diagram shows {label!r}"
    assert not errors, errors
    host = urlsplit(url).netloc
    assert url + PREFIX[language] + "assets/javascripts/mermaid/mermaid.esm.min.mjs" in requests
    assert [r for r in requests if urlsplit(r).scheme.startswith("http") and urlsplit(r).netloc != host] == []
