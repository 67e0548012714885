"""Last-updated dates from one `git log` per build (hooks/last_updated.py),
on throwaway repositories: the newest commit of each file, and no dates at
all from a shallow clone, whose oldest commit seems to add every page."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

HOOK = Path(__file__).resolve().parent.parent / "hooks" / "last_updated.py"
spec = importlib.util.spec_from_file_location("last_updated", HOOK)
last_updated = importlib.util.module_from_spec(spec)
spec.loader.exec_module(last_updated)


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {"GIT_AUTHOR_DATE": f"{date}T12:00:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00"} if date else {}
    import os
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True, env={**os.environ, **env})


def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "docs" / "sv").mkdir(parents=True)
    git(repo, "init", "-q")
    for date, name in [("2025-01-02", "a.md"), ("2025-03-04", "b.md"), ("2025-05-06", "a.md")]:
        page = repo / "docs" / "sv" / name
        page.write_text(page.read_text() + "more\n" if page.exists() else "# Page\n")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", f"change {name}", date=date)
    return repo


def test_each_page_gets_the_date_of_its_newest_commit(tmp_path):
    dates = last_updated.last_changes(repository(tmp_path))
    assert dates == {"docs/sv/a.md": "2025-05-06", "docs/sv/b.md": "2025-03-04"}


def test_shallow_clone_gives_no_dates(tmp_path):
    repo = repository(tmp_path)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    assert last_updated.last_changes(shallow) is None


def test_no_repository_gives_no_dates(tmp_path):
    assert last_updated.last_changes(tmp_path) is None


def test_a_build_without_history_says_so_in_the_home_page_words(project):
    """The fixture project is no repository: every page carries the notice
    the home page's latest changes show, never a made-up date."""
    from macros.messages import text

    assert project.verify().returncode == 0
    result = project.build()
    assert result.returncode == 0, result.stderr
    for language, prefix in (("sv", ""), ("en", "en/")):
        page = (project.root / "site" / prefix / "index.html").read_text()
        footer = page[page.index('<aside class="page-footer"'):]
        footer = footer[:footer.index("</aside>")]
        assert text(language, "no_history") in footer, footer
        assert "<time" not in footer
