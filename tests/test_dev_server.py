"""`make serve` serves both languages from one dev server with live reload."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from processes import as_from_a_terminal
from site_server import ROOT, free_port


def fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_dev_server_serves_swedish_at_root_and_english_under_en():
    port = free_port()
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    server = subprocess.Popen(
        [mkdocs, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        swedish = fetch(f"http://127.0.0.1:{port}/", deadline)
        english = fetch(f"http://127.0.0.1:{port}/en/bygga-distribuerade-system/", deadline)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert '<html lang="sv"' in swedish and '<html lang="en"' in english
    assert "livereload" in swedish and "livereload" in english
    assert f'href="http://127.0.0.1:{port}/bygga-distribuerade-system/" hreflang="sv"' in english


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _waiting_builds(pid: int) -> set[int]:
    """The serve process's children waiting to build (hooks/prestarted.py)."""
    waiting = set()
    for child in _children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"-c" in command and any(b"request = sys.stdin.readline()" in part for part in command):
            waiting.add(child)
    return waiting


def test_a_save_is_built_by_the_process_started_before_it_and_none_outlives_the_server(project):
    """The English build after a save runs in the process that was started,
    imports done, before the save; stopping the server leaves none behind."""
    port = free_port()
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    server = subprocess.Popen(
        [mkdocs, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=project.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, preexec_fn=as_from_a_terminal,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        fetch(f"http://127.0.0.1:{port}/en/", deadline)
        while not (before := _waiting_builds(server.pid)):
            assert time.monotonic() < deadline, "no build process waits after the first build"
            time.sleep(0.1)
        project.edit("docs/en/index.md", "# Fixture", "# Fixture\n\nSaved just now.")
        while "Saved just now." not in fetch(f"http://127.0.0.1:{port}/en/", deadline):
            assert time.monotonic() < deadline, "the save never reached the English page"
            time.sleep(0.1)
        while not (after := _waiting_builds(server.pid)) or after == before:
            assert time.monotonic() < deadline, "no new process waits after the rebuild"
            time.sleep(0.1)
        assert not before & _children(server.pid), "the process that waited did not run the build"
        server.send_signal(signal.SIGINT)  # Ctrl-C
        server.wait(timeout=30)
    finally:
        server.kill()
        server.wait()
    for pid in after:
        assert not Path(f"/proc/{pid}").exists() or b"Z" in Path(f"/proc/{pid}/stat").read_bytes().split()[2], \
            f"build process {pid} outlived the server"
