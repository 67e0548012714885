"""Lighthouse scores (npm `lighthouse`, pinned in package-lock.json), run on
Debian's Chromium, headless, with Lighthouse's default mobile preset, against
the site served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from .workspace import ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95  # every category, every page
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync --disable-default-apps --disable-extensions")


def version() -> str:
    return json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]


def run_once(url: str) -> dict:
    """One Lighthouse run: the full report as JSON."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"bench: {LIGHTHOUSE} is missing: run `make setup` (npm ci)")
    with tempfile.TemporaryDirectory(prefix="kb-bench-lh-") as folder:
        output = Path(folder) / "report.json"
        result = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
        )
        if result.returncode != 0 or not output.exists():
            raise SystemExit(f"bench: lighthouse failed on {url}:\n{result.stderr[-3000:]}")
        return json.loads(output.read_text())


def failing_audits(report: dict, category: str) -> list[str]:
    """The weighted audits that lost points: why a score is below 100."""
    audits = report["audits"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']})"
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


def scores(url: str, runs: int) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Median score per category (0-100) over `runs`, and what the last run marked down.

    The performance score depends on how busy the CPU is (Lighthouse multiplies
    observed task times); "benchmarkIndex" is Lighthouse's own measure of that."""
    reports = [run_once(url) for _ in range(runs)]
    medians = {c: round(100 * statistics.median(r["categories"][c]["score"] for r in reports)) for c in CATEGORIES}
    medians["benchmarkIndex"] = round(statistics.median(r["environment"]["benchmarkIndex"] for r in reports))
    medians["TBT ms"] = round(statistics.median(r["audits"]["total-blocking-time"]["numericValue"] for r in reports))
    return medians, {c: failing_audits(reports[-1], c) for c in CATEGORIES}


def meets_target(scores: dict[str, int]) -> bool:
    return all(scores[c] >= TARGET for c in CATEGORIES)
