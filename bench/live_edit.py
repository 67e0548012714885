"""Live editing: seconds from saving a page to `mkdocs serve` serving the
rebuilt page, on the real dev server in a copy of the project, split by the
server's own log lines into noticing the save and rebuilding."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
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


@dataclass
class LiveEdit:
    saved_to_served: Timing
    noticed: list[float] = field(default_factory=list)  # save -> "Building documentation..."
    rebuilt: list[float] = field(default_factory=list)  # that line -> the last "Documentation built"

    @property
    def noticed_median(self) -> float:
        return statistics.median(self.noticed) if self.noticed else float("nan")

    @property
    def rebuilt_median(self) -> float:
        return statistics.median(self.rebuilt) if self.rebuilt else float("nan")


def _phases(log: list[tuple[float, str]], saved: float, served: float) -> tuple[float, float] | None:
    """When the server started rebuilding after the save, and how long its
    builds (both languages) took, from its log lines."""
    started = [t for t, line in log if saved <= t <= served and "Building documentation..." in line]
    done = [t for t, line in log if saved <= t <= served and "Documentation built in" in line]
    if not started or not done:
        return None
    return started[0] - saved, done[-1] - started[0]


def measure(runs: int, language: str = "sv") -> LiveEdit:
    folder = tempdir("live")
    project = copy_project(folder / "project")
    page, path = PAGES[language]
    source = project / page
    original = source.read_text()
    port = free_port()
    url = f"http://127.0.0.1:{port}/{path}"
    server = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
                              cwd=project, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[tuple[float, str]] = []

    def read_log():
        for line in server.stderr:
            log.append((time.perf_counter(), line))

    threading.Thread(target=read_log, daemon=True).start()
    timing = Timing()
    result = LiveEdit(timing)
    try:
        _wait_for(url, None, None, STARTUP_TIMEOUT)
        for n in range(runs):
            marker = f"Benchmarkmarkör {n}-{time.time_ns()}"
            source.write_text(original + f"\n{marker}\n")
            started = time.perf_counter()
            _wait_for(url, marker, None, REBUILD_TIMEOUT)
            served = time.perf_counter()
            timing.runs.append(served - started)
            if phases := _phases(log, started, served):
                result.noticed.append(phases[0])
                result.rebuilt.append(phases[1])
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
    return result
