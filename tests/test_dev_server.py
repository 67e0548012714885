"""`make serve` serves both languages from one dev server with live reload."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
