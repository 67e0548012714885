"""Verification records keep several versions per unit, newest last written,
and drop the oldest beyond what they keep."""

from __future__ import annotations

import os

import pytest

from verify import records
from verify.records import Record
from verify.units import Unit

UNIT = Unit("go", "fixture-go/greet")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "RECORDS", tmp_path / "verify")
    return tmp_path / "verify"


def _saved(content_hash: str, passed: bool = True, at: int = 0) -> Record:
    record = Record(UNIT.key, content_hash, passed, ["go test -race"], {"Go": "1.26"})
    records.save(UNIT, record)
    path = records._file(UNIT, content_hash)
    os.utime(path, ns=(at, at))  # a deterministic age for the pruning order
    return record


def test_every_kept_version_is_found_by_its_hash(store):
    for n in range(3):
        _saved(f"hash{n}", at=n * 10**9)
    for n in range(3):
        assert records.matching(UNIT, f"hash{n}").hash == f"hash{n}"
    assert records.matching(UNIT, "other") is None


def test_a_failed_version_never_matches(store):
    _saved("broken", passed=False)
    assert records.matching(UNIT, "broken") is None
    assert records.load(UNIT).failure is None and not records.load(UNIT).passed


def test_load_returns_the_newest_version(store):
    _saved("old", at=1 * 10**9)
    _saved("new", at=2 * 10**9)
    assert records.load(UNIT).hash == "new"


def test_oldest_versions_beyond_the_limit_are_dropped(store):
    for n in range(records.VERSIONS_KEPT + 2):
        _saved(f"hash{n}", at=(n + 1) * 10**9)
    _saved("latest", at=100 * 10**9)  # pruning runs on save
    kept = {path.stem for path in (store / "go__fixture-go_greet").glob("*.json")}
    assert len(kept) == records.VERSIONS_KEPT
    assert "latest" in kept and "hash0" not in kept and "hash1" not in kept
