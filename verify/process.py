"""Running a real tool, and what a failed run tells the reader."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from .paths import ROOT


class CheckFailed(Exception):
    """A check ran and said no. Carries the command and its output."""

    def __init__(self, command: str, output: str):
        super().__init__(command)
        self.command = command
        self.output = output


def run(cmd: list[str], cwd: Path = ROOT, input: str | None = None, env: dict | None = None) -> str:
    """Run ``cmd``; return stdout, or raise CheckFailed with everything it said."""
    shown = " ".join(shlex.quote(_short(part)) for part in cmd)
    if cwd != ROOT:
        shown = f"(cd {cwd.relative_to(ROOT)} && {shown})"
    result = subprocess.run(
        cmd,
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise CheckFailed(shown, (result.stdout + result.stderr).strip())
    return result.stdout


def _short(part: str) -> str:
    """Show project paths relative to the repository, as a reader would type them."""
    prefix = str(ROOT) + os.sep
    return part[len(prefix):] if part.startswith(prefix) else part
