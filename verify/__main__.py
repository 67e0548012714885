"""`make verify`: extract, verify, enforce, report.

Exit status 0 only when every embedded unit passed and no page breaks a rule.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict

from . import cluster, rules
from .incident import system as incident_system
from .extract import PageError, all_pages
from .runner import verify_all
from .units import UnitError, unit_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify", description=__doc__)
    parser.add_argument("--jobs", type=int, help="units verified in parallel (default: cores)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    try:
        pages = all_pages()
    except PageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    problems = rules.all_problems(pages)

    embedded_by = defaultdict(set)  # unit -> pages that embed it
    for page in pages:
        for embed in page.embeds:
            try:
                embedded_by[unit_for(embed.target)].add(page.name)
            except UnitError:
                pass  # reported by rules.missing_targets
    units = sorted(embedded_by, key=lambda u: u.key)
    cluster.stop_on_signals()
    try:
        outcomes = verify_all(units, args.jobs)
    finally:
        # by PID, also on Ctrl-C (KeyboardInterrupt) and failure
        cluster.stop_all()
        incident_system.stop_all()
    for minor, seconds in sorted(cluster.started().items()):
        print(f"Kubernetes {minor} control plane started in {seconds:.1f}s")

    failed = [o for o in outcomes if not o.record.passed]
    for outcome in outcomes:
        state = "cached" if outcome.cached else f"{outcome.record.seconds:.1f}s"
        mark = "ok  " if outcome.record.passed else "FAIL"
        print(f"{mark} {outcome.unit.key:<40} {state:>7}  {outcome.record.summary() if outcome.record.passed else ''}")
    for outcome in failed:
        print(f"\n--- {outcome.unit.key} failed", file=sys.stderr)
        print("embedded by: " + ", ".join(sorted(embedded_by[outcome.unit])), file=sys.stderr)
        print(f"command: {outcome.record.failure['command']}", file=sys.stderr)
        print(outcome.record.failure["output"], file=sys.stderr)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)

    print(
        f"\n{len(outcomes) - len(failed)} units verified, {len(failed)} failed"
        + (f", {len(problems)} page problems" if problems else "")
        + f" ({time.monotonic() - started:.1f}s)"
    )
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
