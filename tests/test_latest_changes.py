"""The home page's latest changes, read from git at build time: the newest
commits to a language's pages, and a notice instead whenever the history is
missing or shallow, never a failed build."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from macros.latest_changes import Change, recent_changes, render

NO_HISTORY = {"sv": "Ingen historik tillgänglig", "en": "No history available"}


def git(repo: Path, *args: str, date: str = "2026-01-01T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def commit(repo: Path, date: str, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"change on {date}", date=f"{date}T12:00:00")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Four commits: pages added, one edited, code only, a page removed."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-01-01", {"docs/sv/a.md": "---\ntitle: Sida A\n---\n# A\n",
                                "docs/sv/b.md": "# Sida B {#b}\n", "docs/sv/gammal.md": "# Gammal\n",
                                "docs/en/a.md": "# Page A\n"})
    commit(root, "2026-02-02", {"docs/sv/b.md": "# Sida B {#b}\n\nMer.\n"})
    commit(root, "2026-03-03", {"snippets/x.go": "package x\n"})
    commit(root, "2026-04-04", {"docs/sv/gammal.md": None})
    return root


def test_newest_first_only_pages_that_still_exist(repo):
    changes = recent_changes(repo, repo / "docs" / "sv", limit=5)
    assert changes == [Change("2026-02-02", ("b.md",)), Change("2026-01-01", ("a.md", "b.md"))]


def test_limit_counts_commits(repo):
    assert recent_changes(repo, repo / "docs" / "sv", limit=1) == [Change("2026-02-02", ("b.md",))]


def test_each_language_sees_only_its_own_pages(repo):
    assert recent_changes(repo, repo / "docs" / "en", limit=5) == [Change("2026-01-01", ("a.md",))]


def test_rendered_list_links_pages_by_their_titles(repo):
    changes = recent_changes(repo, repo / "docs" / "sv", limit=5)
    shown = render(changes, repo / "docs" / "sv", "index.md", NO_HISTORY["sv"])
    assert shown == "- 2026-02-02: [Sida B](b.md)\n- 2026-01-01: [Sida A](a.md), [Sida B](b.md)\n"


def test_shallow_clone_has_no_history(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert recent_changes(clone, clone / "docs" / "sv", limit=5) is None


def test_folder_outside_git_has_no_history(tmp_path):
    (tmp_path / "docs" / "sv").mkdir(parents=True)
    assert recent_changes(tmp_path, tmp_path / "docs" / "sv", limit=5) is None


HOME = {"sv": "# Start\n\n## Senaste ändringarna\n\n{{ latest_changes(5) }}\n",
        "en": "# Home\n\n## Latest changes\n\n{{ latest_changes(5) }}\n"}


def test_strict_build_shows_a_notice_without_history_and_links_with_it(project):
    for language, text in HOME.items():
        project.write(f"docs/{language}/andringar.md", text)
    assert project.verify().returncode == 0

    result = project.build()  # the fixture project is no git repository
    assert result.returncode == 0, result.stderr
    for language, prefix in (("sv", ""), ("en", "en/")):
        assert NO_HISTORY[language] in (project.root / "site" / prefix / "andringar" / "index.html").read_text()

    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "docs")
    git(project.root, "commit", "-q", "-m", "pages", date="2026-05-05T12:00:00")
    result = project.build()
    assert result.returncode == 0, result.stderr
    for language, prefix in (("sv", ""), ("en", "en/")):
        html = (project.root / "site" / prefix / "andringar" / "index.html").read_text()
        assert NO_HISTORY[language] not in html
        assert "2026-05-05: " in html and '<a href="./">' in html  # the page links itself
