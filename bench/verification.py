"""Verification speed: cold (no records), warm (nothing changed) and one unit
changed, in a copy of the project whose own .cache/verify starts empty
(verify/paths.py puts records next to the engine), so the developer's
records are never touched."""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .timing import Timing, repeat, run, seconds
from .workspace import RECORDS, copy_project, env, tempdir

WARM_TARGET = 2.0  # seconds
CHANGED_SLACK = 2.0  # seconds on top of the changed unit's own check time
# A unit nothing else builds on, so a change re-runs exactly one unit (every
# Go package here is imported by a command, which would re-run too).
CHANGED_UNIT = "prometheus:prometheus"
CHANGED_FILE = "snippets/prometheus/slo.rules.yaml"
EDIT = "\n# Benchmark edit {n}.\n"  # valid YAML, new content every run
# "ok   go:go/workerpool      3.2s  ..." for a unit that ran, "cached" otherwise.
RAN = re.compile(r"^(?:ok  |FAIL) (\S+)\s+(\d+\.\d+)s", re.MULTILINE)


@dataclass
class VerificationResult:
    units: int
    cold: Timing
    warm: Timing
    changed: Timing
    changed_unit_check: float  # the unit's own check time, from its cold record
    reran: list[str] = field(default_factory=list)

    @property
    def warm_holds(self) -> bool:
        return self.warm.median <= WARM_TARGET

    @property
    def changed_target(self) -> float:
        return self.changed_unit_check + CHANGED_SLACK

    @property
    def changed_holds(self) -> bool:
        return self.changed.median <= self.changed_target


def _verify(project: Path) -> str:
    return run([sys.executable, "-m", "verify"], cwd=project, env=env()).stdout


def _unit_seconds(project: Path, key: str) -> float:
    for path in (project / RECORDS).glob("*/*.json"):
        record = json.loads(path.read_text())
        if record["unit"] == key:
            return record["seconds"]
    raise SystemExit(f"bench: no verification record for {key}; is it still embedded by a page?")


def measure(cold_runs: int, warm_runs: int, changed_runs: int) -> VerificationResult:
    folder = tempdir("verify")
    try:
        project = copy_project(folder / "project", records=False)

        def cold():
            shutil.rmtree(project / RECORDS, ignore_errors=True)
            _verify(project)

        cold_timing = repeat(cold, cold_runs)
        own = _unit_seconds(project, CHANGED_UNIT)
        units = len(list((project / RECORDS).glob("*/*.json")))
        warm = repeat(lambda: _verify(project), warm_runs)

        changed_file = project / CHANGED_FILE
        original = changed_file.read_text()
        changed, reran = Timing(), set()
        for n in range(changed_runs):
            # A new comment each time: new content, so the record no longer matches.
            changed_file.write_text(original + EDIT.format(n=n))
            output = {}
            changed.runs.append(seconds(lambda: output.setdefault("out", _verify(project))))
            reran.update(key for key, _ in RAN.findall(output["out"]))
        return VerificationResult(units, cold_timing, warm, changed, own, sorted(reran))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
