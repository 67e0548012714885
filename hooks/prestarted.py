"""Build processes started before they are needed (`mkdocs serve` only).

Every save under `mkdocs serve` builds the English site in a new process
(hooks/languages.py). Starting Python and importing the builder, Material,
the plugins and the project's macros takes about half a second, which the
reader of the saved page would wait for. So once a build is done, the next
process is started and does its imports while nobody waits; a save then
pays only for the build. Each process still runs exactly one build, so no
state of one build reaches the next.

Not a hook of its own: hooks/languages.py, which starts the builds, uses it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# What the process imports while it waits. The builder comes first: when it
# is ProperDocs, importing it is what puts it in the place of `mkdocs`.
_WAITING = """
import json, os, sys
import {builder}.__main__
import {builder}.commands.build, markdown, pygments.lexers, pymdownx.superfences
import material.plugins.search.plugin, material.plugins.tags.plugin
import mkdocs_macros.plugin, macros, verify.runner
request = sys.stdin.readline()
if not request:
    sys.exit(0)  # not needed after all
sys.argv, environment = json.loads(request)
os.environ.clear()
os.environ.update(environment)
{builder}.__main__.cli()
"""

_enabled = False
_waiting: dict[tuple[str, Path], subprocess.Popen] = {}


def enable() -> None:
    """From now on, keep a process waiting for the next build."""
    global _enabled
    _enabled = True


def run(builder: str, arguments: list[str], environment: dict[str, str], cwd: Path) -> subprocess.Popen:
    """Run `python -m <builder> <arguments>` in cwd with environment, in the
    waiting process if there is one."""
    process = _waiting.pop((builder, cwd), None)
    if process is None or process.poll() is not None:
        process = _start(builder, cwd)
    process.stdin.write(json.dumps([[builder, *arguments], environment]) + "\n")
    process.stdin.close()
    return process


def prepare(builder: str, cwd: Path) -> None:
    """Start the process for the next build, if enabled and none waits."""
    waiting = _waiting.get((builder, cwd))
    if _enabled and (waiting is None or waiting.poll() is not None):
        _waiting[(builder, cwd)] = _start(builder, cwd)


def discard() -> None:
    """Let every waiting process exit without building."""
    for process in _waiting.values():
        process.stdin.close()
        process.wait()
    _waiting.clear()


def _start(builder: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WAITING.format(builder=builder)],
                            cwd=cwd, stdin=subprocess.PIPE, text=True)
