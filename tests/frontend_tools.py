"""The front-end tools the tests use, and what to do when one is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Chromium's background services would try to reach the internet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


def chromium() -> str:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (installs Debian's chromium package)")
    return CHROMIUM


def node_module(*parts: str) -> Path:
    path = ROOT / "node_modules" / Path(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make setup` (npm ci)")
    return path


def java() -> str:
    found = shutil.which("java")
    if not found:
        pytest.fail("java is missing: install a Java 17 runtime (apt-get install openjdk-17-jre-headless)")
    return found
