"""PR previews: `make preview PR=123` builds the site marked as a preview.

Active only when PREVIEW_PR is set. Then every page carries a banner in its
own language and `noindex, nofollow`, and no sitemap is written, so search
engines never take a preview for the real site. site_url (SITE_URL) points
at the preview's own base path, so every link stays inside the preview.
The English build inherits this hook and the environment, so both
languages are marked alike.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError


def on_config(config):
    pr = os.environ.get("PREVIEW_PR", "").strip()
    if not pr:
        return config
    if not pr.isdigit():
        raise PluginError(f"PREVIEW_PR must be a pull request number such as 123, not {pr!r}")
    config.extra["preview"] = {"pr": pr, "commit": _commit(config)[:7]}
    # Not rendered: sitemap.xml.gz is written only alongside it, so both go.
    config.theme.static_templates.discard("sitemap.xml")
    return config


def on_files(files, config):
    """A theme template MkDocs no longer renders is copied as a static file:
    without this, the raw Jinja source would ship as sitemap.xml."""
    if config.extra.get("preview") and (sitemap := files.get_file_from_path("sitemap.xml")):
        files.remove(sitemap)
    return files


def _commit(config) -> str:
    """PREVIEW_COMMIT (CI passes the PR's head, not GitHub's merge commit), else HEAD."""
    commit = os.environ.get("PREVIEW_COMMIT", "").strip()
    if commit:
        return commit
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=Path(config.config_file_path).parent,
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise PluginError("PREVIEW_COMMIT is not set and `git rev-parse HEAD` failed: " + result.stderr.strip())
    return result.stdout.strip()
