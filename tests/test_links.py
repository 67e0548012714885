"""linkchecker crawls the served site, both languages, links and anchors."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote
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
# Line-number anchors come with their targets from the highlighter, hundreds
# per page; test_same_page_anchors_exist checks them without refetching pages.
# (No leading '#': configparser would read the line as a comment.)
ignore=
  sitemap\\.xml\\.gz$
  __codelineno-
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


class _AnchorsAndIds(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fragments: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        href = attrs.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            self.fragments.add(unquote(href[1:]))


def test_same_page_anchors_exist(served_site):
    _, site = served_site
    missing = {}
    pages = list(site.rglob("*.html"))
    for page in pages:
        parser = _AnchorsAndIds()
        parser.feed(page.read_text(encoding="utf-8"))
        if lost := parser.fragments - parser.ids:
            missing[str(page.relative_to(site))] = sorted(lost)[:5]
    assert len(pages) >= 20, pages
    assert not missing, missing
