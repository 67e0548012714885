"""Diagrams without a CDN: Material fetches Mermaid from unpkg unless the page
already has it, so the site serves its own pinned copy (npm, package-lock.json).
overrides/main.html loads it only on pages that contain a diagram."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

SOURCE = Path("node_modules/mermaid/dist/mermaid.min.js")
TARGET = "assets/javascripts/mermaid.min.js"


def on_post_build(config):
    source = Path(config.config_file_path).parent / SOURCE
    if not source.is_file():
        raise PluginError(f"{SOURCE} is missing: run `make setup` (npm ci installs the pinned Mermaid)")
    target = Path(config.site_dir) / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
