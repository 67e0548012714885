"""Cold set-up: a fresh clone's `make test` with empty Go, pip and npm caches.

The clone is of HEAD into a temporary folder; GOCACHE, GOMODCACHE,
PIP_CACHE_DIR, npm's cache and XDG_CACHE_HOME (staticcheck's) point at new
folders inside it, so the shared
caches in the home folder are neither used nor touched. Every line `make`
prints is timed, and each phase (a command `make` echoes) gets the seconds
until the next one, which shows what dominates. It takes tens of minutes and
loads the machine: `make bench` runs it only with --cold-setup."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field

from .workspace import ROOT, tempdir

TARGET = 40 * 60  # seconds: a cold `make test` on CI's 2 cores
# The commands `make` echoes that start a phase worth naming.
PHASE = re.compile(r"^(python3\.11 -m venv|\.venv/bin/pip install|cd tools/(\S+) && |tools/debian-binary\.sh (\S+)|"
                   r"tools/build-control-plane\.sh (\S+)|apt-get update|"
                   r"npm ci|\.venv/bin/python -m verify|\.venv/bin/mkdocs build|\.venv/bin/python -m pytest)")


@dataclass
class ColdSetup:
    seconds: float
    returncode: int
    phases: list[tuple[str, float]] = field(default_factory=list)  # (phase, seconds)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    tail: str = ""

    @property
    def holds(self) -> bool:
        return self.returncode == 0 and self.seconds <= TARGET


def phase_name(line: str) -> str | None:
    match = PHASE.match(line)
    if not match:
        return None
    if match.group(2):
        return f"go install {match.group(2)}"
    if match.group(3):
        return f"Debian binary {match.group(3)}"
    if match.group(4):  # the largest Go build: its own phase, not the tail of the one before
        return f"control plane tools/{match.group(4)}"
    return {"python3.11 -m venv": "Python virtual environment", ".venv/bin/pip install": "pip install (requirements.lock)",
            "apt-get update": "Debian packages (apt-get)",
            "npm ci": "npm ci", ".venv/bin/python -m verify": "make verify (go test -race, helm, kustomize, ...)",
            ".venv/bin/mkdocs build": "strict build", ".venv/bin/python -m pytest": "pytest"}[match.group(1).strip()]


def phases(timed_lines: list[tuple[float, str]], end: float) -> list[tuple[str, float]]:
    """Seconds from each phase's first line to the next phase's (or the end)."""
    starts = [(at, name) for at, line in timed_lines if (name := phase_name(line))]
    return [(name, (starts[i + 1][0] if i + 1 < len(starts) else end) - at) for i, (at, name) in enumerate(starts)]


def measure() -> ColdSetup:
    folder = tempdir("cold")
    try:
        repo = folder / "repo"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True)
        subprocess.run(["git", "checkout", "--quiet", subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()],
            cwd=repo, check=True)
        # XDG_CACHE_HOME holds staticcheck's cache of analysed packages.
        caches = {"GOCACHE": "go-build", "GOMODCACHE": "go-mod", "PIP_CACHE_DIR": "pip", "npm_config_cache": "npm",
                  "XDG_CACHE_HOME": "xdg"}
        env = {**os.environ, **{name: str(folder / "cache" / sub) for name, sub in caches.items()}}
        load_before = os.getloadavg()
        started = time.monotonic()
        process = subprocess.Popen(["make", "test"], cwd=repo, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        timed = [(time.monotonic() - started, line.rstrip("\n")) for line in process.stdout]
        returncode = process.wait()
        total = time.monotonic() - started
        return ColdSetup(total, returncode, phases(timed, total), load_before, os.getloadavg(),
                         "\n".join(line for _, line in timed[-15:]))
    finally:
        # Go's module cache is read-only on disk; make it removable first.
        subprocess.run(["chmod", "-R", "u+w", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)
