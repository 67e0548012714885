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
from .workspace import MKDOCS, ROOT, copy_project, env, tempdir

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from site_comparison import differences  # noqa: E402  (tests/ is not a package)

# The newest release the package index this project installs from can
# install: every later one (0.0.74 and all of 0.1) requires an exact
# zensical-ui version that the index does not serve.
VERSION = "0.0.73"
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
    """'' when installed, else pip's last words. The project's own packages
    first: the macros and the engine they call import them."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = str(venv / "bin" / "pip")
    for arguments in (["-r", str(ROOT / "requirements.lock")], [f"zensical=={VERSION}"]):
        result = subprocess.run([pip, "install", "--quiet", *arguments], capture_output=True, text=True)
        if result.returncode != 0:
            return (result.stderr.strip().splitlines() or ["pip failed"])[-1]
    return ""


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

        failed = []

        def build_both():
            # Each language on its own: one failing still leaves the other to compare.
            for language, (config, _) in CONFIGS.items():
                result = subprocess.run([zensical, "build", "--config-file", config], cwd=project, env=env(),
                                        capture_output=True, text=True)
                if result.returncode != 0:
                    last = (result.stderr.strip().splitlines() or ["no message"])[-1]
                    failed.append(f"the {language} build failed: {last[-300:]}")

        shutil.rmtree(project / "site", ignore_errors=True)
        zensical_took = seconds(build_both)
        built = project / "site"
        search = [f"search index {path}: {'present' if (built / path).is_file() else 'missing'}"
                  for language in ("", "en/") for path in (f"{language}search/search_index.json",
                                                           f"{language}search.json")]
        return ZensicalTrial(VERSION, True, "", took, zensical_took, failed + search + differences(reference, built))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
