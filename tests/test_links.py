"""linkchecker crawls the served site, both languages, links and anchors."""

import re
import subprocess
import sys
from pathlib import Path

from site_server import world_readable_tempdir

CONFIG = """\
[checking]
threads=4
[filtering]
# Compressed sitemaps are for crawlers, not HTML: nothing to check inside.
ignore=
  sitemap\\.xml\\.gz$
[AnchorCheck]
"""


def test_linkchecker_finds_no_broken_link_or_anchor(served_site):
    url, _ = served_site
    folder = world_readable_tempdir()
    config = folder / "linkcheckerrc"
    config.write_text(CONFIG)
    config.chmod(0o644)
    linkchecker = str(Path(sys.executable).parent / "linkchecker")
    result = subprocess.run(
        [linkchecker, "--config", str(config), "--no-status", "--no-warnings", url, url + "en/"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors found" in result.stdout, result.stdout
    # A crawl that never left the start pages would also find no errors.
    checked = int(re.search(r"(\d+) links? in \d+ URLs? checked", result.stdout).group(1))
    assert checked >= 40, result.stdout
