"""Verification records: what ran on which exact content, and whether it passed.

A record is a cache entry keyed by the unit and its content hash. It is
never committed: a record claims that tools ran, so it must come from a run
on this machine. The macros render the "verified" line from it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .paths import RECORDS
from .units import Unit


@dataclass
class Record:
    unit: str
    hash: str
    passed: bool
    checks: list[str]  # what ran, in the words the page shows, e.g. "go test -race"
    tools: dict[str, str]  # tool -> version, e.g. {"Go": "1.26.8"}
    outputs: dict[str, str] = field(default_factory=dict)  # rendered manifests etc.
    failure: dict[str, str] | None = None  # {"command": ..., "output": ...}
    seconds: float = 0.0

    def summary(self) -> str:
        tools = " · ".join(f"{name} {version}" for name, version in self.tools.items())
        return " · ".join(self.checks) + (f" · {tools}" if tools else "")


def _file(unit: Unit):
    return RECORDS / (unit.key.replace(":", "__").replace("/", "_") + ".json")


def load(unit: Unit) -> Record | None:
    try:
        return Record(**json.loads(_file(unit).read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def matching(unit: Unit, content_hash: str) -> Record | None:
    """The passing record for exactly this content, if there is one."""
    record = load(unit)
    if record and record.passed and record.hash == content_hash:
        return record
    return None


def save(unit: Unit, record: Record) -> None:
    RECORDS.mkdir(parents=True, exist_ok=True)
    path = _file(unit)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(record), indent=1, sort_keys=True))
    tmp.replace(path)  # atomic: a build never reads half a record
