"""Prometheus for the run: the project's own rule files, a configuration that
scrapes the order API and the worker, and reading alerts back from
Prometheus' HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/).

The rules are the ones in snippets/prometheus, with one change: an alert's
`for` (and `keep_firing_for`) longer than SHORT_FOR is cut to SHORT_FOR and a
group's own `interval` gives way to the run's, so an alert goes pending and
fires within seconds instead of minutes. Every change is listed in the run's
record, so the page says exactly what was shortened.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from ..paths import SNIPPETS, rel

RULES = SNIPPETS / "prometheus"
SCRAPE_INTERVAL = "1s"
EVALUATION_INTERVAL = "1s"
SHORT_FOR = "5s"
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def seconds(duration: str) -> float:
    parts = _DURATION.findall(str(duration))
    if not parts or "".join(n + u for n, u in parts) != str(duration):
        raise ValueError(f"not a Prometheus duration: {duration!r}")
    return sum(int(n) * _SECONDS[u] for n, u in parts)


def shortened_rules(into: Path) -> tuple[list[Path], list[str]]:
    """Copies of the project's rule files with short alert timings, and
    what was changed, one line per change."""
    files = sorted(RULES.glob("*.rules.yaml"))
    if not files:
        raise FileNotFoundError(f"no *.rules.yaml in {rel(RULES)}")
    into.mkdir(parents=True, exist_ok=True)
    written, changes = [], []
    for source in files:
        doc = yaml.safe_load(source.read_text()) or {}
        for group in doc.get("groups") or []:
            if "interval" in group and seconds(group["interval"]) > seconds(EVALUATION_INTERVAL):
                changes.append(f"{source.name}: group {group['name']}: interval "
                               f"{group['interval']} -> {EVALUATION_INTERVAL}")
                del group["interval"]
            for rule in group.get("rules") or []:
                for key in ("for", "keep_firing_for"):
                    if "alert" in rule and key in rule and seconds(rule[key]) > seconds(SHORT_FOR):
                        changes.append(f"{source.name}: {rule['alert']}: {key} {rule[key]} -> {SHORT_FOR}")
                        rule[key] = SHORT_FOR
        target = into / source.name
        target.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
        written.append(target)
    return written, changes


def runbook_address() -> str:
    """The runbook page the alerts' runbook_url leads to: the site's address
    (SITE_URL, as the build reads it; mkdocs.yml's default otherwise)."""
    site = os.environ.get("SITE_URL") or "http://127.0.0.1:8000/"
    return site.rstrip("/") + "/runbook/"


def config(rule_files: list[Path], targets: dict[str, int]) -> str:
    """Scrape each job (job name -> port on 127.0.0.1) and evaluate the rules.
    The runbook's address is an external label, as in production
    (snippets/prometheus/slo.rules.yaml says why)."""
    return yaml.safe_dump({
        "global": {"scrape_interval": SCRAPE_INTERVAL, "evaluation_interval": EVALUATION_INTERVAL,
                   "external_labels": {"runbook": runbook_address()}},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]}
            for job, port in targets.items()
        ],
    }, sort_keys=False)


class API:
    def __init__(self, url: str) -> None:
        self.url = url

    def get(self, path: str, **params) -> dict | list:
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=5) as response:
            answer = json.load(response)
        if answer.get("status") != "success":
            raise RuntimeError(f"Prometheus {path}: {answer}")
        return answer["data"]

    def query(self, expr: str) -> list[dict]:
        return self.get("/api/v1/query", query=expr)["result"]

    def alerts(self, name: str | None = None) -> list[dict]:
        alerts = self.get("/api/v1/alerts")["alerts"]
        return [a for a in alerts if name is None or a["labels"].get("alertname") == name]

    def rule(self, alert: str) -> dict | None:
        for group in self.get("/api/v1/rules", type="alert")["groups"]:
            for rule in group["rules"]:
                if rule["name"] == alert:
                    return rule
        return None

    def targets_up(self) -> dict[str, str]:
        return {t["labels"]["job"]: t["health"] for t in self.get("/api/v1/targets")["activeTargets"]}
