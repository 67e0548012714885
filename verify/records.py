"""Verification records: what ran on which exact content, and whether it passed.

A record is a cache entry keyed by the unit and its content hash. It is
never committed: a record claims that tools ran, so it must come from a run
on this machine. The macros render the "verified" line from it.

Each unit keeps its last few versions side by side, one file per content
hash (``.cache/verify/<unit>/<hash>.json``): switching to another branch and
back finds the records of both, so nothing verified before runs again.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .paths import RECORDS
from .units import Unit

# Versions kept per unit: enough for a few branches in flight, each with a
# change or two; the oldest (by when it was last written) goes first.
VERSIONS_KEPT = 8


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


def _folder(unit: Unit) -> Path:
    return RECORDS / unit.key.replace(":", "__").replace("/", "_")


def _file(unit: Unit, content_hash: str) -> Path:
    return _folder(unit) / f"{content_hash}.json"


def _read(path: Path) -> Record | None:
    try:
        return Record(**json.loads(path.read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def _versions(unit: Unit) -> list[Path]:
    """The unit's record files, newest first."""
    try:
        files = [entry for entry in os.scandir(_folder(unit)) if entry.name.endswith(".json")]
    except FileNotFoundError:
        return []
    files.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    return [Path(entry.path) for entry in files]


def load(unit: Unit) -> Record | None:
    """The unit's most recently written record, whatever content it was for."""
    for path in _versions(unit):
        if (record := _read(path)) is not None:
            return record
    return None


def matching(unit: Unit, content_hash: str) -> Record | None:
    """The passing record for exactly this content, if there is one."""
    record = _read(_file(unit, content_hash))
    if record and record.passed and record.hash == content_hash:
        return record
    return None


def save(unit: Unit, record: Record) -> None:
    """Keep `record` as the unit's version for its hash; drop the oldest
    versions beyond VERSIONS_KEPT."""
    path = _file(unit, record.hash)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(record), indent=1, sort_keys=True))
    tmp.replace(path)  # atomic: a build never reads half a record
    for old in _versions(unit)[VERSIONS_KEPT:]:
        old.unlink(missing_ok=True)
