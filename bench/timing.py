"""Repeated measurements reduced to their median."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class Timing:
    """Seconds of each run of one measurement; the report shows the median."""

    runs: list[float] = field(default_factory=list)
    # CPU seconds (user + system) of the child processes of each run: unlike the
    # wall time, barely moved by other work on a shared machine.
    cpu_runs: list[float] = field(default_factory=list)
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)  # load average when the runs ended

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_runs) if self.cpu_runs else float("nan")

    @property
    def load_text(self) -> str:
        return " / ".join(f"{x:.1f}" for x in self.load)

    def __str__(self) -> str:
        return f"{self.median:.2f} s"


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def repeat(action: Callable[[], object], runs: int) -> Timing:
    timing = Timing()
    for _ in range(runs):
        before = _children_cpu()
        timing.runs.append(seconds(action))
        timing.cpu_runs.append(_children_cpu() - before)
    timing.load = os.getloadavg()
    return timing


def run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a command; a failure stops the benchmark with the command's own output."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench: `{' '.join(args)}` failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result
