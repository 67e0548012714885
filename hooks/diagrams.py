"""Diagrams drawn at build time: every ```mermaid block becomes inline SVG.

Drawing them in the reader's browser meant a quarter of a megabyte of
Mermaid and a main thread blocked while it ran, on every page with a diagram
near the top. Here the pinned Mermaid (npm, package-lock.json) draws each
diagram once, in Debian's Chromium, and the page carries the finished SVG:
no script, visible at once, and a diagram Mermaid cannot parse fails the
build with the page and the diagram named.

Colours come from diagrams.css, which uses Material's palette variables, so
a diagram follows light and dark mode. Text is measured and drawn in
Helvetica/Arial, whose metrics every platform matches (Liberation Sans on
Linux), so labels fit their boxes on readers' machines too.

Readable at every width: each drawing records the smallest text it holds,
and the SVG gets a minimum width at which that text is 12 CSS px; a diagram
wider than the column scrolls inside its own box instead of shrinking. Each
diagram is a figure captioned with its `accTitle` (also the SVG's accessible
name), a button opens it full size (overrides/assets/javascripts/diagrams.js),
and the search index skips its labels (`data-search-exclude`, Material's
search), which would otherwise run together into the page's excerpts.

Drawn diagrams are kept in .cache/diagrams/, keyed by everything that
shapes them; a build with nothing new to draw never starts a browser.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

MERMAID = Path("node_modules/mermaid/dist/mermaid.min.js")
MERMAID_PACKAGE = Path("node_modules/mermaid/package.json")
CHROMIUM = "/usr/bin/chromium"
CACHE = Path(".cache/diagrams")
THEME = Path(__file__).with_name("diagrams.css")

# pymdownx.superfences' custom fence for mermaid (mkdocs.yml).
_FENCE = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)
# Sequence diagrams name their lifelines id="actor1", … whatever the diagram's
# id; two such diagrams on one page would repeat ids.
_UNSCOPED_ID = re.compile(r'\bid="(actor\d+)"')
# Attributes SVG does not have, which the HTML checker rejects in a page:
# `name` on sequence diagram parts, width and height on circles.
_NAME = re.compile(r'\sname="[^"]*"')
_CIRCLE = re.compile(r"<circle\b[^>]*>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')

# The smallest text a reader should have to read, in CSS px.
MIN_TEXT_PX = 12
_TITLE = re.compile(r"^\s*accTitle\s*:\s*(.+?)\s*$", re.M)
_SVG_STYLE = re.compile(r'(<svg\b[^>]*?style=")max-width: ([\d.]+)px;')
_SMALLEST_TEXT = re.compile(r"<!-- smallest-text: ([\d.]+) -->")
CAPTION = {"sv": ("Diagram", "Visa i full storlek", "Stäng"), "en": ("Diagram", "Open full size", "Close")}

_browser = None  # (playwright, browser, page), started on the first diagram not in the cache


def config_for_mermaid() -> dict:
    return {
        "startOnLoad": False,
        "securityLevel": "strict",
        "theme": "default",
        "themeCSS": re.sub(r"/\*.*?\*/", "", THEME.read_text(), flags=re.S),
        "fontFamily": "Helvetica, Arial, sans-serif",
        # SVG text instead of HTML in <foreignObject>: the page's own styles for
        # paragraphs and spans would otherwise reach into the labels.
        "htmlLabels": False,
        "flowchart": {"htmlLabels": False},
    }


def on_page_content(content: str, page, config, files) -> str:
    if '<pre class="mermaid">' not in content:
        return content
    root = Path(config.config_file_path).parent
    seen: dict[str, int] = {}
    label, open_text, close_text = CAPTION.get(config.theme["language"], CAPTION["en"])

    def draw(match: re.Match) -> str:
        source = html.unescape(match.group(1))
        title = _title(source, page.file.src_uri)
        digest = hashlib.sha256(source.encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        diagram_id = f"diagram-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
        svg = _drawn(root, diagram_id, source, page.file.src_uri)
        caption = html.escape(title)
        return (f'<figure class="diagram" id="{diagram_id}-figure">'
                f'<div class="diagram__scroll" tabindex="0" role="group" aria-label="{label}: {caption}"'
                f' data-search-exclude>{svg}</div>'
                f'<figcaption class="diagram__caption"><span>{caption}</span> '
                f'<button type="button" class="diagram__toggle md-button" data-open="{open_text}"'
                f' data-close="{close_text}" aria-expanded="false" data-search-exclude>{open_text}</button>'
                '</figcaption></figure>')

    return _FENCE.sub(draw, content)


def _title(source: str, page: str) -> str:
    """The diagram's accTitle: its caption and accessible name."""
    found = _TITLE.search(source)
    if not found:
        first_line = source.strip().splitlines()[0] if source.strip() else "(empty)"
        raise PluginError(f"{page}: the diagram starting '{first_line}' has no title: add a line "
                          "'accTitle: <what it shows>' after its first line (the caption, and the "
                          "text a screen reader reads)")
    return found.group(1)


@functools.cache
def _setup(root: Path) -> tuple[Path, dict, str]:
    """Once per build: Mermaid, its configuration, and a fingerprint of all
    that shapes a drawing besides the diagram itself (this file too, so a
    change to how a drawing is post-processed draws again)."""
    mermaid = root / MERMAID
    if not mermaid.is_file():
        raise PluginError(f"{MERMAID} is missing: run `make setup` (npm ci installs the pinned Mermaid)")
    config = config_for_mermaid()
    version = json.loads((root / MERMAID_PACKAGE).read_text())["version"]
    return mermaid, config, json.dumps([version, config, Path(__file__).read_text()])


def _drawn(root: Path, diagram_id: str, source: str, page: str) -> str:
    mermaid, config, fingerprint = _setup(root)
    key = hashlib.sha256(json.dumps([fingerprint, diagram_id, source]).encode()).hexdigest()
    cached = root / CACHE / f"{key}.svg"
    if cached.is_file():
        return cached.read_text()
    svg = _valid(_render(mermaid, config, diagram_id, source, page), diagram_id)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(svg)
    return svg


def _valid(svg: str, diagram_id: str) -> str:
    svg = _readable(svg)
    svg = _UNSCOPED_ID.sub(rf'id="{diagram_id}-\1"', svg)
    svg = _CIRCLE.sub(lambda circle: _SIZE.sub("", circle.group(0)), svg)
    return _NAME.sub("", svg)


def _readable(svg: str) -> str:
    """A minimum width at which the smallest text is MIN_TEXT_PX on screen."""
    smallest = _SMALLEST_TEXT.search(svg)
    svg = _SMALLEST_TEXT.sub("", svg)
    natural = _SVG_STYLE.search(svg)
    if not smallest or not natural:
        return svg
    width = float(natural.group(2))
    minimum = min(width, math.ceil(width * MIN_TEXT_PX / float(smallest.group(1))))
    return _SVG_STYLE.sub(rf"\g<1>max-width: {width}px; min-width: {minimum}px;", svg, count=1)


# Draws a diagram, then measures its smallest non-empty text at natural size
# (the SVG at its viewBox width, so one user unit is one CSS px).
_DRAW = """async ([id, text]) => {
  const {svg} = await mermaid.render(id, text);
  const box = document.createElement('div');
  box.innerHTML = svg;
  document.body.append(box);
  const drawn = box.querySelector('svg');
  drawn.style.width = drawn.viewBox.baseVal.width + 'px';
  drawn.style.maxWidth = 'none';
  const sizes = [...drawn.querySelectorAll('text, tspan')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  box.remove();
  return sizes.length ? svg + `<!-- smallest-text: ${Math.min(...sizes)} -->` : svg;
}"""


def _render(mermaid: Path, config: dict, diagram_id: str, source: str, page: str) -> str:
    from playwright.sync_api import Error

    global _browser
    if _browser is None:
        _browser = _start(mermaid, config)
    try:
        return _browser[2].evaluate(_DRAW, [diagram_id, source])
    except Error as error:
        first_line = source.strip().splitlines()[0] if source.strip() else "(empty)"
        message = str(error).removeprefix("Page.evaluate: ").split("\n    at ")[0]
        raise PluginError(f"{page}: the diagram starting '{first_line}' cannot be drawn: {message}") from None


def _start(mermaid: Path, config: dict):
    if not Path(CHROMIUM).is_file():
        raise PluginError(f"{CHROMIUM} is missing: diagrams are drawn at build time; "
                          "run `make setup` (installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(mermaid))
    page.evaluate("config => mermaid.initialize(config)", config)
    return playwright, browser, page


def _stop() -> None:
    global _browser
    if _browser is not None:
        playwright, browser, _ = _browser
        _browser = None
        browser.close()
        playwright.stop()


def on_env(env, config, files):
    """Every page's content is done by now; the English build, started from
    hooks/languages.py after this one, starts its own browser."""
    _stop()
    return env


def on_build_error(error) -> None:
    _stop()
