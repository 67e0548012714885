"""`make incident`: run the payment outage now, print its timeline as it
happens, and keep the record the walkthrough page shows (the same record
`make verify` would write for this content)."""

from __future__ import annotations

import signal
import sys

from .. import check_incident
from ..runner import check, content_hash
from ..units import unit_for
from . import system


def _exit_on(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through the run's own stop


def main() -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on)
    unit = unit_for("incident:payment-outage")
    try:
        record = check(unit, content_hash(unit), lambda u: check_incident.verify(u, echo=True))
    finally:
        system.stop_all()
    if not record.passed:
        print(f"\nincident run failed: {record.failure['command']}\n{record.failure['output']}",
              file=sys.stderr)
        return 1
    print(f"\n{unit.key}: passed in {record.seconds:.1f}s; "
          f"{len(record.outputs)} outputs recorded for the walkthrough page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
