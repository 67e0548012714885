"""When each page last changed, from git, for the line under its content.

One `git log` for the whole build, not one per page: it lists every commit
that touched docs/ with the files it changed, newest first, and the first
date seen for a file is its last change. A build without usable history
(macros/git_history.py) shows the same notice as the home page's latest
changes instead. A page not yet committed shows no date.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: macros/
from macros.git_history import commits  # noqa: E402


def last_changes(repo: Path) -> dict[str, str] | None:
    """Repository-relative path -> YYYY-MM-DD of its last commit, for docs/;
    None without full history."""
    found = commits(repo, "docs/")
    if found is None:
        return None
    dates: dict[str, str] = {}
    for date, files in found:  # newest first: the first date seen is the last change
        for name in files:
            dates.setdefault(name, date)
    return dates


def on_config(config):
    root = Path(config.config_file_path).parent
    config.extra["last_updated"] = {"root": str(root), "dates": last_changes(root)}
    return config


def on_page_context(context, page, config, nav):
    """page.meta.last_updated: a date, or None with history missing (the
    template then shows the notice); absent for an uncommitted page."""
    known = config.extra.get("last_updated") or {}
    dates = known.get("dates")
    if dates is None:
        page.meta["last_updated"] = None
        return context
    try:
        source = Path(page.file.abs_src_path).resolve().relative_to(Path(known["root"]).resolve()).as_posix()
    except ValueError:
        return context
    if source in dates:
        page.meta["last_updated"] = dates[source]
    return context
