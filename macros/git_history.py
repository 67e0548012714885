"""The commits that changed a folder, read from `git log` at build time, for
the pages' "last changed" line (hooks/last_updated.py) and the home page's
latest changes (latest_changes.py).

Without usable history there is none: no git, not a repository, or a
shallow clone, whose oldest commit would look as if it had written every
page. Callers then show a notice; a build never fails for it."""

from __future__ import annotations

import subprocess
from pathlib import Path

RECORD, FIELD = "\x1e", "\x1f"


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def commits(repo: Path, folder: str, relative: bool = False) -> list[tuple[str, list[str]]] | None:
    """(YYYY-MM-DD author date, files it changed) of every commit that
    touched `folder`, newest first; paths from the repository root, or from
    `folder` with `relative`. None without full history."""
    if (_git(repo, "rev-parse", "--is-shallow-repository") or "").strip() != "false":
        return None
    log = _git(repo, "-c", "core.quotePath=false", "log", *(["--relative"] if relative else []), "--no-renames",
               "--date=short", f"--format={RECORD}%ad{FIELD}", "--name-only", "--", f"{folder.rstrip('/')}/")
    if log is None:
        return None
    found = []
    for record in filter(None, log.split(RECORD)):
        date, _, names = record.partition(FIELD)
        found.append((date.strip(), [name.strip() for name in names.splitlines() if name.strip()]))
    return found
