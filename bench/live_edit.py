"""Live editing: seconds from saving a page to `mkdocs serve` serving the
rebuilt page, on the real dev server in a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from .timing import Timing
from .workspace import MKDOCS, copy_project, env, tempdir
from .gzip_server import free_port

PAGES = {"sv": ("docs/sv/varfor-go.md", "varfor-go/"), "en": ("docs/en/varfor-go.md", "en/varfor-go/")}
POLL = 0.05  # seconds between requests while waiting for the rebuild
STARTUP_TIMEOUT = 180
REBUILD_TIMEOUT = 120


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def _wait_for(url: str, present: str | None, absent: str | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = _get(url)
        if html is not None and (present is None or present in html) and (absent is None or absent not in html):
            return
        time.sleep(POLL)
    raise SystemExit(f"bench: {url} did not show the edit within {timeout} s")


def measure(runs: int, language: str = "sv") -> Timing:
    folder = tempdir("live")
    project = copy_project(folder / "project")
    page, path = PAGES[language]
    source = project / page
    original = source.read_text()
    port = free_port()
    url = f"http://127.0.0.1:{port}/{path}"
    server = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
                              cwd=project, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timing = Timing()
    try:
        _wait_for(url, None, None, STARTUP_TIMEOUT)
        for n in range(runs):
            marker = f"Benchmarkmarkör {n}-{time.time_ns()}"
            source.write_text(original + f"\n{marker}\n")
            started = time.perf_counter()
            _wait_for(url, marker, None, REBUILD_TIMEOUT)
            timing.runs.append(time.perf_counter() - started)
            timing.load = os.getloadavg()
            source.write_text(original)  # restore, and let the server settle on it
            _wait_for(url, None, marker, REBUILD_TIMEOUT)
    finally:
        source.write_text(original)
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return timing
