"""What readers get: the site built strictly for a local gzip server, each
measured page loaded in Chromium (page weight) and audited by Lighthouse."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from . import lighthouse, page_weight
from .gzip_server import free_port, serve
from .timing import run
from .workspace import MKDOCS, ROOT, env, tempdir

PAGES = {
    "Start (sv)": "",
    "Infrastruktur som kod (sv)": "infrastruktur-som-kod/",
    "Home (en)": "en/",
    "Infrastructure as code (en)": "en/infrastruktur-som-kod/",
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions"]


@dataclass
class PageResult:
    name: str
    path: str
    weight: page_weight.Weight
    scores: dict[str, int]
    lost_points: dict[str, list[str]]


def measure(lighthouse_runs: int) -> list[PageResult]:
    from playwright.sync_api import sync_playwright

    folder = tempdir("site")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    try:
        # site_url must be where it is served: canonical and hreflang links are absolute.
        run([MKDOCS, "build", "--strict", "--site-dir", str(folder / "site")], cwd=ROOT, env=env(SITE_URL=url))
        results = []
        with serve(folder / "site", port), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=lighthouse.CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                weights = {name: page_weight.summarise(page_weight.load(browser, url + path))
                           for name, path in PAGES.items()}
            finally:
                browser.close()
            for name, path in PAGES.items():
                scores, lost = lighthouse.scores(url + path, lighthouse_runs)
                results.append(PageResult(name, path, weights[name], scores, lost))
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)
