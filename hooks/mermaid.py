"""Diagrams without a CDN: Material fetches Mermaid from unpkg unless the page
already has it, so the site serves its own pinned copy (npm, package-lock.json).

It is Mermaid's ES module build: a small entry module plus chunks, so a page
downloads only the parts its diagram types need (a flowchart and a state
diagram take about a tenth of the single-file build). overrides/main.html
loads it only on pages that contain a diagram."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

DIST = Path("node_modules/mermaid/dist")
ENTRY = "mermaid.esm.min.mjs"
CHUNKS = "chunks/mermaid.esm.min"  # the entry imports "./chunks/mermaid.esm.min/…"
TARGET = "assets/javascripts/mermaid"


def on_post_build(config):
    dist = Path(config.config_file_path).parent / DIST
    if not (dist / ENTRY).is_file() or not (dist / CHUNKS).is_dir():
        raise PluginError(f"{DIST / ENTRY} is missing: run `make setup` (npm ci installs the pinned Mermaid)")
    target = Path(config.site_dir) / TARGET
    if target.exists():
        shutil.rmtree(target)  # no chunk left over from another Mermaid version
    (target / CHUNKS).mkdir(parents=True)
    shutil.copyfile(dist / ENTRY, target / ENTRY)
    # Source maps stay out: they are four times the code and only a debugger reads them.
    for chunk in (dist / CHUNKS).glob("*.mjs"):
        shutil.copyfile(chunk, target / CHUNKS / chunk.name)
