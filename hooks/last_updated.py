"""When each page last changed, from git, for the line under its content.

One `git log` for the whole build, not one per page: it lists every commit
that touched docs/ with the files it changed, newest first, and the first
date seen for a file is its last change. A build without usable history (no
git, not a repository, or a shallow clone, whose oldest commit would look as
if it had written every page) shows the same notice as the home page's
latest changes instead. A page not yet committed shows no date.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

RECORD = "\x1e"


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def last_changes(repo: Path) -> dict[str, str] | None:
    """Repository-relative path -> YYYY-MM-DD of its last commit, for docs/;
    None without full history."""
    log = _git(repo, "-c", "core.quotePath=false", "log", "--no-renames", "--date=short",
               f"--format={RECORD}%ad%x00%H", "--name-only", "--", "docs/")
    if log is None:
        return None
    dates: dict[str, str] = {}
    for record in filter(None, log.split(RECORD)):
        header, _, names = record.partition("\n")
        date = header.split("\x00")[0].strip()
        for name in names.splitlines():
            if name.strip():
                dates.setdefault(name.strip(), date)
    # Asked last and only if there is history at all: a shallow clone has some.
    if (_git(repo, "rev-parse", "--is-shallow-repository") or "").strip() != "false":
        return None
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
