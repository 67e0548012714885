"""Shared test set-up: the real repository, and throwaway copies of the
project's machinery around fixture pages and snippets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "project"
MACHINERY = ("hooks", "macros", "verify", "overrides")


@dataclass
class Project:
    """A copy of the site's machinery with its own docs/ and snippets/."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new))

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run(args, cwd=self.root, capture_output=True, text=True, env=env)

    def verify(self) -> subprocess.CompletedProcess:
        return self.run(sys.executable, "-m", "verify")

    def build(self, strict: bool = True) -> subprocess.CompletedProcess:
        mkdocs = str(Path(sys.executable).parent / "mkdocs")
        return self.run(mkdocs, "build", *(["--strict"] if strict else []))


def _without_nav(config: str) -> str:
    """Fixture pages differ from the site's: let MkDocs list whatever is there."""
    return config[: config.index("\nnav:")] + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The fixture project: one Go package, one chart, one kustomization."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    for name in MACHINERY:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        (root / config).write_text(_without_nav((ROOT / config).read_text()))
    for installed in (".tools", "node_modules"):  # set up by make, shared read-only
        (root / installed).symlink_to(ROOT / installed)
    return Project(root)


@pytest.fixture(scope="session")
def served_site():
    """The real site, built strictly for and served on a local port."""
    import shutil

    from site_server import OWNER, REPO_URL, build, free_port, serve, world_readable_tempdir

    folder = world_readable_tempdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    # As published: with a repository, so source links, "report a problem"
    # and the clone command are there to test (no page fetches from it).
    build(folder / "site", url, {"REPO_URL": REPO_URL, **OWNER})
    with serve(folder / "site", port) as served:
        yield served, folder / "site"
    shutil.rmtree(folder, ignore_errors=True)
