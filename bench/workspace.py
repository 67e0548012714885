"""Throwaway copies of the project, so the benchmark never touches the
developer's pages, site/ or verification records (.cache/verify)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
COPIED = ("hooks", "macros", "verify", "overrides", "snippets", "docs", "tools")  # tools/: pins are in record hashes
CONFIGS = ("mkdocs.yml", "mkdocs.en.yml")
SHARED = (".tools", "node_modules")  # set up by make; only read, so linked
RECORDS = Path(".cache") / "verify"  # where verify/paths.py keeps records, per copy
DIAGRAMS = Path(".cache") / "diagrams"  # drawn diagrams (hooks/diagrams.py), keyed by content too


def env(**extra: str) -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def tempdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"kb-bench-{prefix}-"))


def copy_project(target: Path, records: bool = True) -> Path:
    """A full copy of the project's sources in `target`. The records and the
    drawn diagrams are the developer's, copied (both are keyed by content, and
    the content is the same), unless the caller wants to start without records."""
    ignore = shutil.ignore_patterns("__pycache__")
    for name in COPIED:
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in CONFIGS:
        shutil.copyfile(ROOT / name, target / name)
    for name in SHARED:
        (target / name).symlink_to(ROOT / name)
    for cache in (RECORDS, DIAGRAMS) if records else (DIAGRAMS,):
        if (ROOT / cache).is_dir():
            shutil.copytree(ROOT / cache, target / cache)
    return target


def without_nav(target: Path) -> None:
    """Generated pages are not in the nav: let MkDocs list whatever is there."""
    for name in CONFIGS:
        config = (target / name).read_text()
        (target / name).write_text(config[: config.index("\nnav:")] + "\n")
