"""Prometheus rules: promtool checks the rules and runs their unit tests."""

from __future__ import annotations

from .process import CheckFailed, run
from .toolchain import tool
from .units import Unit


def verify(unit: Unit) -> dict:
    promtool = tool("promtool")
    rules = sorted(unit.dir.glob("*.rules.yaml"))
    tests = sorted(unit.dir.glob("*.test.yaml"))
    if not tests:
        raise CheckFailed(f"ls {unit.path}/*.test.yaml", f"snippets/{unit.path} has rules but no promtool tests")
    run([promtool, "check", "rules", *map(str, rules)])
    run([promtool, "test", "rules", *map(str, tests)], cwd=unit.dir)
    version = run([promtool, "--version"]).split()[2]
    return {"checks": ["promtool check rules", "promtool test rules"], "tools": {"promtool": version}, "outputs": {}}
