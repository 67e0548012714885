"""The latest changes to a language's pages, read from `git log` when the
site is built. A build without usable history (no git, not a repository, a
shallow clone whose oldest commit would look like it added every page) shows
a notice instead and never fails."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from . import git_history

TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
HEADING = re.compile(r"^#\s+(.+?)(?:\s*\{[^}]*\})?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Change:
    date: str  # YYYY-MM-DD, the commit's author date
    pages: tuple[str, ...]  # docs_dir-relative Markdown files that still exist


def recent_changes(repo: Path, docs_dir: Path, limit: int) -> list[Change] | None:
    """The `limit` latest commits that changed a page still in docs_dir,
    newest first; None when history is unavailable or shallow."""
    try:
        folder = docs_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:  # docs outside the repository: its history says nothing about them
        return None
    found = git_history.commits(repo, folder, relative=True)
    if found is None:
        return None
    changes = []
    for date, names in found:
        pages = tuple(dict.fromkeys(
            relative for name in names
            if name.endswith(".md") and (docs_dir / (relative := posixpath.relpath(name, folder))).is_file()))
        if pages:
            changes.append(Change(date, pages))
        if len(changes) == limit:
            break
    return changes


def page_title(source: Path) -> str:
    """The title a reader knows the page by: front matter, else its heading."""
    text = source.read_text(encoding="utf-8")
    found = TITLE.search(text.split("\n---", 1)[0]) if text.startswith("---") else None
    found = found or HEADING.search(text)
    return found.group(1).strip("'\"") if found else source.stem


def render(changes: list[Change] | None, docs_dir: Path, calling_page: str, no_history: str) -> str:
    """A Markdown list, one line per commit, linking the pages it changed."""
    if not changes:
        return f"*{no_history}*\n"
    here = posixpath.dirname(calling_page)
    lines = []
    for change in changes:
        links = ", ".join(f"[{page_title(docs_dir / page)}]({posixpath.relpath(page, here or '.')})"
                          for page in change.pages)
        lines.append(f"- {change.date}: {links}")
    return "\n".join(lines) + "\n"
