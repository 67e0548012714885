"""A Zensical trial, not blocking: the pinned Zensical builds both languages
in a copy of the project, and what a reader would find different from the
MkDocs build is listed (pages, links, heading ids, macro output, search),
with both build times. Zensical runs no hooks and ignores plugins it does
not support without failing, so content is compared, never exit codes.

Zensical lives in a virtual environment of its own inside the copy: it is
not part of the site's requirements.lock. `make bench` runs this with
--zensical; when Zensical cannot be installed, the report says why."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .timing import seconds
from .workspace import MKDOCS, copy_project, env, tempdir

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from site_comparison import differences  # noqa: E402  (tests/ is not a package)

VERSION = "0.1.3"
CONFIGS = {"sv": ("mkdocs.yml", "site"), "en": ("mkdocs.en.yml", "site/en")}


@dataclass
class ZensicalTrial:
    version: str
    installed: bool
    problem: str = ""  # why it could not be installed or run
    mkdocs_seconds: float = 0.0
    zensical_seconds: float = 0.0
    differences: list[str] = field(default_factory=list)


def _install(venv: Path) -> str:
    """'' when installed, else pip's last words."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    result = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"zensical=={VERSION}"],
                            capture_output=True, text=True)
    return "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["pip failed"])[-1]


def measure() -> ZensicalTrial:
    folder = tempdir("zensical")
    try:
        problem = _install(folder / "venv")
        if problem:
            return ZensicalTrial(VERSION, False, problem)
        project = copy_project(folder / "project")
        reference = folder / "mkdocs-site"
        took = seconds(lambda: subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(reference)],
                                              cwd=project, env=env(), check=True, capture_output=True))
        zensical = str(folder / "venv" / "bin" / "zensical")

        def build_both():
            for config, _ in CONFIGS.values():
                result = subprocess.run([zensical, "build", "--config-file", config], cwd=project, env=env(),
                                        capture_output=True, text=True)
                if result.returncode != 0:
                    raise RuntimeError(f"zensical build -f {config}: {result.stderr.strip()[-500:]}")

        shutil.rmtree(project / "site", ignore_errors=True)
        try:
            zensical_took = seconds(build_both)
        except RuntimeError as error:
            return ZensicalTrial(VERSION, True, str(error), took)
        found = differences(reference, project / "site")
        search = [f"{path}: {'missing' if not (project / 'site' / path).is_file() else 'present'}"
                  for path in ("search/search_index.json", "en/search/search_index.json")]
        return ZensicalTrial(VERSION, True, "", took, zensical_took, found + search)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
