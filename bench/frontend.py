"""What readers get: the site built strictly for a local gzip server, the
measured pages loaded in Chromium (page weight) and audited by Lighthouse.

The measured pages come from the built site, not from a list: each
language's home page and its page with the most embedded snippets. Every
other page gets Lighthouse too (see `screened`), so a slow page cannot hide."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from . import lighthouse, page_weight
from .gzip_server import free_port, serve
from .timing import run
from .workspace import MKDOCS, ROOT, env, tempdir

from site_pages import all_pages, pages_with_snippets  # noqa: E402  (tests/, put on sys.path by gzip_server)

LANGUAGES = {"sv": "", "en": "en/"}
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


@dataclass
class SweepResult:
    """A page not measured in detail: one Lighthouse run, or the median of
    as many as the detailed pages get when that one run fell below target."""

    path: str
    scores: dict[str, int]
    runs: int


@dataclass
class FrontendResult:
    pages: list[PageResult]
    sweep: list[SweepResult]


def in_language(path: str, language: str) -> bool:
    prefix = LANGUAGES[language]
    other = [p for p in LANGUAGES.values() if p and p != prefix]
    return path.startswith(prefix) and not any(path.startswith(p) for p in other)


def measured_pages(site: Path) -> dict[str, str]:
    """Per language: the home page and the page with the most embedded snippets."""
    snippet_pages = pages_with_snippets(site)
    chosen = {}
    for language, prefix in LANGUAGES.items():
        chosen[f"home ({language})"] = prefix
        heaviest = next((p for p in snippet_pages if in_language(p, language)), None)
        if heaviest is None:
            raise SystemExit(f"bench: no {language} page embeds a snippet")
        chosen[f"most snippets ({language}): {heaviest}"] = heaviest
    return chosen


def screened(url: str, path: str, runs: int) -> SweepResult:
    """One run; a page below target in any category gets the full median, so
    one noisy run neither fails a page nor hides a slow one."""
    scores = lighthouse.scores(url, 1)[0]
    if runs > 1 and not lighthouse.meets_target(scores):
        return SweepResult(path, lighthouse.scores(url, runs)[0], runs)
    return SweepResult(path, scores, 1)


def measure(lighthouse_runs: int) -> FrontendResult:
    from playwright.sync_api import sync_playwright

    folder = tempdir("site")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    try:
        # site_url must be where it is served: canonical and hreflang links are absolute.
        run([MKDOCS, "build", "--strict", "--site-dir", str(folder / "site")], cwd=ROOT, env=env(SITE_URL=url))
        site = folder / "site"
        pages = measured_pages(site)
        with serve(site, port), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=lighthouse.CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                weights = {name: page_weight.summarise(page_weight.load(browser, url + path))
                           for name, path in pages.items()}
            finally:
                browser.close()
            results = []
            for name, path in pages.items():
                scores, lost = lighthouse.scores(url + path, lighthouse_runs)
                results.append(PageResult(name, path, weights[name], scores, lost))
            sweep = [screened(url + path, path, lighthouse_runs)
                     for path in all_pages(site) if path not in pages.values()]
        return FrontendResult(results, sweep)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
