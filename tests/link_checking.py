"""Running linkchecker over a served site, fast. Fragments are checked by
tests/test_links.py, which parses each page once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from site_server import world_readable_tempdir

CONFIG = """\
[checking]
threads=4
# Only unthrottled for hosts that answer with a `LinkChecker` header, as the
# test server does; otherwise linkchecker waits 0.1-0.6 s before every request.
maxrequestspersecond=1000
[filtering]
# Compressed sitemaps are for crawlers, not HTML: nothing to check inside.
ignore=
  sitemap\\.xml\\.gz$
"""


def check_links(*start_urls: str) -> tuple[int, str]:
    """linkchecker from the start URLs: (links checked, its output).
    Fails the calling test on any broken link."""
    folder = world_readable_tempdir()
    config = folder / "linkcheckerrc"
    config.write_text(CONFIG)
    config.chmod(0o644)
    linkchecker = str(Path(sys.executable).parent / "linkchecker")
    result = subprocess.run(
        [linkchecker, "--config", str(config), "--no-status", "--no-warnings", *start_urls],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors found" in result.stdout, result.stdout
    checked = int(re.search(r"(\d+) links? in \d+ URLs? checked", result.stdout).group(1))
    return checked, result.stdout
