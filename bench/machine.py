"""The machine and the tool versions the figures were measured with."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import version

from . import lighthouse

PYTHON_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "pymdown-extensions", "playwright")


def _first_line(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not found"


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def describe() -> dict[str, str]:
    load = os.getloadavg()
    return {
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "CPU": f"{_cpu_model()}, {os.cpu_count()} cores",
        "Memory": _memory_gib(),
        "Load average at start (1/5/15 min)": " / ".join(f"{x:.1f}" for x in load),
    }


def tools() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    found.update({name: version(name) for name in PYTHON_PACKAGES})
    found["Go"] = _first_line(["go", "version"])
    found["Node.js"] = _first_line(["node", "--version"])
    found["Chromium"] = _first_line([lighthouse.CHROMIUM, "--version"])
    found["Lighthouse"] = lighthouse.version()
    return found
