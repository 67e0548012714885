"""Whether the processes a test started are gone."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def as_from_a_terminal() -> None:
    """For Popen's preexec_fn: the child reacts to Ctrl-C (SIGINT) as one
    started from a terminal does, also when this test run was started in the
    background, where SIGINT is ignored and the child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes only once reaped; /proc tells.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def still_alive(pids: list[int], grace: float = 15) -> list[int]:
    """The pids still running after up to `grace` seconds of waiting for all to stop."""
    deadline = time.monotonic() + grace
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return [pid for pid in pids if alive(pid)]


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that name `text` (e.g. a run's folder)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in line:
            found.append(line)
    return found
