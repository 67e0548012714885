"""Verify units in parallel, reusing any record whose content hash still matches."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import check_go, check_helm, check_incident, check_kustomize, check_prometheus, records
from .cluster import ClusterError
from .process import CheckFailed
from .records import Record
from .toolchain import MissingTool, salt
from .units import Unit

CHECKERS = {
    "go": check_go.verify,
    "helm": check_helm.verify,
    "kustomize": check_kustomize.verify,
    "prometheus": check_prometheus.verify,
    "incident": check_incident.verify,
}


@dataclass
class Outcome:
    unit: Unit
    record: Record
    cached: bool


def content_hash(unit: Unit) -> str:
    return unit.content_hash(salt(unit.kind))


def verify_unit(unit: Unit) -> Outcome:
    digest = content_hash(unit)
    cached = records.matching(unit, digest)
    if cached:
        return Outcome(unit, cached, cached=True)
    return Outcome(unit, check(unit, digest), cached=False)


def check(unit: Unit, digest: str, checker=None) -> Record:
    """Run the unit's checks now (with ``checker`` instead of its kind's, if
    given) and save the record, passed or failed."""
    started = time.monotonic()
    try:
        result = (checker or CHECKERS[unit.kind])(unit)
        record = Record(unit.key, digest, True, result["checks"], result["tools"], result["outputs"])
    except CheckFailed as failure:
        record = Record(unit.key, digest, False, [], {}, failure={"command": failure.command, "output": failure.output})
    except ClusterError as error:
        record = Record(unit.key, digest, False, [], {}, failure={"command": "(control plane)", "output": str(error)})
    except MissingTool as missing:
        record = Record(unit.key, digest, False, [], {}, failure={"command": "(set-up)", "output": str(missing)})
    record.seconds = round(time.monotonic() - started, 2)
    records.save(unit, record)
    return record


def verify_all(units: list[Unit], jobs: int | None = None) -> list[Outcome]:
    """Independent units run side by side; go test -race already uses every core,
    so more workers than cores only adds contention."""
    jobs = jobs or os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(verify_unit, units))
