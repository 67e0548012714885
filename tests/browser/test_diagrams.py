"""Diagrams are drawn at build time (hooks/diagrams.py) and reach the reader
as inline SVG: every diagram of a page's source is there with its translated
labels, every label fits its shape in the browser, and the colours follow
light and dark mode."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Page -> a label of each diagram the site must have, per language: the order
# system's event flow, the circuit breaker's states, probes gating a rollout.
DIAGRAMS = {
    "handelsedriven-arkitektur/": {"sv": ["Betalleverantör"], "en": ["Payment provider"]},
    "arkitekturmonster/": {"sv": ["Halvöppen"], "en": ["Half-open"]},
    "halsokontroller/": {"sv": ["rollouten väntar", "maxUnavailable: 0"],
                         "en": ["the rollout waits", "maxUnavailable: 0"]},
}
PREFIX = {"sv": "", "en": "en/"}
DRAWN = re.compile(r'<figure class="diagram"[^>]*><div class="diagram__scroll"[^>]*><svg')

# Each label's text box and the box of the shape drawn around it, in page pixels.
LABELS_AND_SHAPES = """() => [...document.querySelectorAll('.diagram svg')].flatMap(svg => [
    ...[...svg.querySelectorAll('g.node')].map(node => [node.querySelector('text'), node.querySelector('.label-container')]),
    ...[...svg.querySelectorAll('text.actor')].map(text => [text, text.previousElementSibling]),
  ].filter(([text, shape]) => text && shape && text.textContent.trim()).map(([text, shape]) => {
    const t = text.getBoundingClientRect(), s = shape.getBoundingClientRect();
    return {label: text.textContent.trim(), text: [t.left, t.top, t.right, t.bottom], shape: [s.left, s.top, s.right, s.bottom]};
  }))"""


def drawn_text(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page_html))


@pytest.mark.parametrize("language", PREFIX)
@pytest.mark.parametrize("path", DIAGRAMS)
def test_every_diagram_is_drawn_with_its_translated_labels(served_site, path, language):
    _, site = served_site
    source = (ROOT / "docs" / language / (path.strip("/") + ".md")).read_text()
    built = (site / PREFIX[language] / path / "index.html").read_text()
    fences = source.count("```mermaid")
    assert fences >= len(DIAGRAMS[path][language]), f"{path}: fewer diagrams in the source than expected"
    drawn = len(DRAWN.findall(built))
    assert drawn == fences, f"{PREFIX[language]}{path}: {drawn} of {fences} diagrams drawn"
    text = " ".join(drawn_text(svg) for svg in re.findall(r'<div class="diagram__scroll"[^>]*>(.*?)</div>', built, re.S))
    for label in DIAGRAMS[path][language]:
        assert label in " ".join(text.split()), f"{PREFIX[language]}{path}: no diagram shows {label!r}"


@pytest.mark.parametrize("path", ["handelsedriven-arkitektur/", "halsokontroller/", "en/halsokontroller/"])
def test_every_label_fits_its_shape_in_the_browser(page, served_site, path):
    url, _ = served_site
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + path)
    boxes = page.evaluate(LABELS_AND_SHAPES)
    assert len(boxes) >= 5, boxes
    overflowing = [b["label"] for b in boxes
                   if b["text"][0] < b["shape"][0] - 1 or b["text"][2] > b["shape"][2] + 1
                   or b["text"][1] < b["shape"][1] - 1 or b["text"][3] > b["shape"][3] + 1]
    assert not overflowing, f"{path}: labels wider than their shapes: {overflowing}"


def test_diagram_colours_follow_the_palette_and_dark_mode(page, served_site):
    url, _ = served_site
    page.goto(url + "handelsedriven-arkitektur/")
    colours = """() => { const svg = document.querySelector('.diagram svg');
        const fill = selector => getComputedStyle(svg.querySelector(selector)).fill;
        return {shape: fill('g.node .label-container'), label: fill('g.node text'),
                accent: getComputedStyle(document.body).getPropertyValue('--md-accent-fg-color--transparent')}; }"""
    light = page.evaluate(colours)
    # Shapes take Material's accent, not Mermaid's own lavender (#ececff).
    assert light["shape"] != "rgb(236, 236, 255)", light
    page.locator("label.md-header__button[for^=__palette]:visible").click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    dark = page.evaluate(colours)
    assert light["label"] != dark["label"], (light, dark)
