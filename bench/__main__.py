"""`make bench` (python -m bench): measure everything, write bench/results.md.

Each section runs in its own temporary copy or folder; the developer's
pages, site/ and .cache/verify are only read."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import build, cold_setup, frontend, live_edit, machine, report, scale, verification, zensical

RESULTS = Path(__file__).resolve().parent / "results.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per timed measurement (default 3)")
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse runs per page (default 5)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--zensical", action="store_true",
                        help="also try the pinned Zensical on both languages and list what differs")
    parser.add_argument("--cold-setup", action="store_true",
                        help="also time a fresh clone's `make test` with empty Go, pip and npm caches (tens of minutes)")
    args = parser.parse_args(argv)
    runs = args.runs
    started = time.monotonic()

    lines = report.header(machine.describe(), machine.tools())

    def section(name: str, measure, render):
        """Measure, then rewrite the report, so a failure later keeps what was measured."""
        print(f"bench: {name} ({time.monotonic() - started:.0f} s)", flush=True)
        lines.extend(render(measure()))
        args.output.write_text("\n".join(lines + report.footer(time.monotonic() - started)) + "\n")

    section("build", lambda: build.measure(runs), report.build)
    # The largest builds take minutes: one run of each (the report lists the runs).
    section("scale", lambda: scale.measure({100: runs, 400: max(1, runs - 1), 1600: 1, 5000: 1}), report.scaling)
    section("verification", lambda: verification.measure(cold_runs=1, warm_runs=max(5, runs), changed_runs=runs),
            report.verifying)
    section("live editing", lambda: live_edit.measure(max(5, runs)), report.live)
    section("page weight and Lighthouse", lambda: frontend.measure(args.lighthouse_runs),
            lambda result: report.frontend(result, args.lighthouse_runs))
    if args.zensical:
        section("Zensical trial", zensical.measure, report.zensical_trial)
    if args.cold_setup:
        section("cold set-up", cold_setup.measure, report.cold)
    else:
        lines.extend(report.cold(None))
    print(f"bench: wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
