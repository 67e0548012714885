"""`make preview PR=123`: the whole site, both languages, marked as a preview
and served under the sub-path GitHub Pages gives it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from link_checking import check_links
from site_server import ROOT, StaticHandler, free_port, serve, world_readable_tempdir

PR = "123"
BASE = f"/pr-preview/pr-{PR}/"
COMMIT = "abc1234def5678abc1234def5678abc1234def56"
BANNER = {
    "sv": f"Förhandsvisning av PR #{PR}, commit abc1234 — inte den publicerade versionen",
    "en": f"Preview of PR #{PR}, commit abc1234 — not the published version",
}


ROBOTS_META = b'<meta name="robots" content="noindex, nofollow">'


class CrawlableHandler(StaticHandler):
    """Serves pages without their robots meta. linkchecker obeys `nofollow`
    like any crawler and would stop at the start pages; the meta itself is
    checked on disk by test_every_page_has_the_banner_in_its_language_and_noindex."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlparse(self.path).path.endswith("/"):
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body = path.read_bytes().replace(ROBOTS_META, b"")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def make_preview(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "preview", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "MAKEFLAGS": ""})


@pytest.fixture(scope="module")
def preview():
    """(URL of the preview, its folder): built by make, served under BASE."""
    folder = world_readable_tempdir()
    port = free_port()
    site = folder / BASE.strip("/")
    url = f"http://127.0.0.1:{port}{BASE}"
    result = make_preview(f"PR={PR}", f"PREVIEW_URL={url}", f"PREVIEW_DIR={site}", f"PREVIEW_COMMIT={COMMIT}")
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(folder, port, CrawlableHandler):
        yield url, site
    shutil.rmtree(folder, ignore_errors=True)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.robots = None
        self.links: list[str] = []
        self.in_banner = False
        self.banner = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name") == "robots":
            self.robots = a.get("content")
        if "preview-banner" in (a.get("class") or "").split():
            self.in_banner = True
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name])

    def handle_endtag(self, tag):
        self.in_banner = False if tag == "p" else self.in_banner

    def handle_data(self, data):
        if self.in_banner:
            self.banner += data


def _pages(site: Path):
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        page = _Page()
        page.feed(html.read_text(encoding="utf-8"))
        yield relative, ("en" if relative.startswith("en/") else "sv"), page


def test_every_page_has_the_banner_in_its_language_and_noindex(preview):
    _, site = preview
    pages = list(_pages(site))
    assert len(pages) >= 20, [p for p, _, _ in pages]
    assert {language for _, language, _ in pages} == {"sv", "en"}
    wrong = {path: (page.robots, " ".join(page.banner.split()))
             for path, language, page in pages
             if page.robots != "noindex, nofollow" or " ".join(page.banner.split()) != BANNER[language]}
    assert not wrong, wrong


def test_no_sitemap_in_either_language(preview):
    _, site = preview
    assert not list(site.rglob("sitemap*")), list(site.rglob("sitemap*"))


def test_every_link_stays_inside_the_preview(preview):
    """linkchecker does not follow links out of its start URLs' folder, so a
    link that escaped to the published site root would pass it unseen."""
    url, site = preview
    host = urlparse(url).netloc
    escaped = {}
    for path, _, page in _pages(site):
        page_url = urljoin(url, path)
        for link in page.links:
            target = urlparse(urljoin(page_url, link))
            if target.netloc == host and not target.path.startswith(BASE):
                escaped.setdefault(path, []).append(link)
    assert not escaped, escaped


def test_linkchecker_finds_nothing_broken_under_the_sub_path(preview):
    """Anchors do not depend on where the site is served; test_links.py
    checks them. Here it is every path that must resolve under BASE."""
    url, _ = preview
    checked, output = check_links(url, url + "en/")
    assert checked >= 40, output


def test_a_pull_request_number_that_is_not_a_number_is_refused():
    result = make_preview("PR=12a")
    assert result.returncode != 0
    assert "make preview needs the pull request number" in result.stderr
    assert "PR='12a'" in result.stderr


def test_the_build_itself_refuses_a_bad_number(project, monkeypatch):
    """A build started without make (as CI could) gets the same clear error."""
    monkeypatch.setenv("PREVIEW_PR", "pr-7")
    result = project.build()
    assert result.returncode != 0
    assert "PREVIEW_PR must be a pull request number such as 123, not 'pr-7'" in result.stderr


def test_not_found_page_works_from_any_depth_under_the_sub_path(preview):
    """GitHub Pages serves the root 404.html for a missing address at any
    depth, /en/ included: every stylesheet, script and link on it must
    still resolve inside the preview from there."""
    import urllib.request

    url, site = preview
    page = _Page()
    page.feed((site / "404.html").read_text(encoding="utf-8"))
    assert page.links
    for missing in ("no/such/page/", "en/no/such/page/"):
        for link in page.links:
            target = urljoin(url + missing, link)
            if urlparse(target).netloc != urlparse(url).netloc or link.startswith("#"):
                continue
            assert urlparse(target).path.startswith(BASE), (missing, link)
            with urllib.request.urlopen(target.split("#")[0]) as response:
                assert response.status == 200, (missing, link)
