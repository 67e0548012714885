"""Verification units: the smallest things a real tool can prove on its own.

A snippet file belongs to exactly one unit, found by walking up from the
file: the nearest Helm chart (Chart.yaml), Kustomize target
(kustomization.yaml), Prometheus rules folder (*.rules.yaml) or Go package
(*.go). A unit's content hash covers every file whose change could change
the result of its checks, so a cached record is reused only when nothing
relevant changed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


from . import yaml_loading
from .paths import ROOT, SNIPPETS, rel


class UnitError(Exception):
    """A snippet path that no verification unit can prove."""


@dataclass(frozen=True)
class Unit:
    kind: str  # "go", "helm", "kustomize", "prometheus" or "incident"
    path: str  # the unit's folder, relative to snippets/; an incident's name

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.path}"

    @property
    def dir(self) -> Path:
        return INCIDENTS if self.kind == "incident" else SNIPPETS / self.path

    @cached_property
    def files(self) -> tuple[Path, ...]:
        """Every file whose content can change this unit's verdict."""
        return tuple(sorted(set(_FILES[self.kind](self.dir))))

    def content_hash(self, salt: str = "") -> str:
        digest = hashlib.sha256(f"{self.key}\n{salt}\n".encode())
        for path in self.files:
            digest.update(rel(path).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()


def _is_chart(d: Path) -> bool:
    return (d / "Chart.yaml").is_file()


def _is_kustomization(d: Path) -> bool:
    return (d / "kustomization.yaml").is_file()


def _is_rules(d: Path) -> bool:
    return any(d.glob("*.rules.yaml"))


def _is_go_package(d: Path) -> bool:
    return any(d.glob("*.go"))


# Order matters: a chart's templates folder is not a unit of its own.
_DETECTORS = (
    ("helm", _is_chart),
    ("kustomize", _is_kustomization),
    ("prometheus", _is_rules),
    ("go", _is_go_package),
)


# The incident run (verify/incident) is a unit of its own: it runs the whole
# system, so its verdict depends on every Go package, every rule file and
# the scenario. Pages name it as "incident:<name>" (macros: incident_output).
INCIDENTS = ROOT / "verify" / "incident"
INCIDENT_NAMES = ("payment-outage",)
INCIDENT_PREFIX = "incident:"


def unit_for(snippet: str) -> Unit:
    """The unit that proves ``snippet`` (a path relative to snippets/, or
    ``incident:<name>``)."""
    if snippet.startswith(INCIDENT_PREFIX):
        name = snippet.removeprefix(INCIDENT_PREFIX)
        if name not in INCIDENT_NAMES:
            raise UnitError(f"no incident run named {name!r} (there is: {', '.join(INCIDENT_NAMES)})")
        return Unit("incident", name)
    path = (SNIPPETS / snippet).resolve()
    if not path.exists():
        raise UnitError(f"snippets/{snippet} does not exist")
    if SNIPPETS.resolve() not in path.parents and path != SNIPPETS.resolve():
        raise UnitError(f"{snippet} is outside snippets/")
    start = path if path.is_dir() else path.parent
    # A whole unit folder names itself; a file names its nearest enclosing unit.
    for d in [start, *start.parents]:
        if d == SNIPPETS.resolve().parent:
            break
        for kind, detect in _DETECTORS:
            if detect(d):
                return Unit(kind, d.relative_to(SNIPPETS.resolve()).as_posix())
    raise UnitError(
        f"snippets/{snippet} belongs to no verification unit "
        "(no Chart.yaml, kustomization.yaml, *.rules.yaml or Go package above it)"
    )


def _walk(d: Path):
    return (p for p in d.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _helm_files(d: Path):
    return _walk(d)


def _prometheus_files(d: Path):
    return _walk(d)


def _kustomize_files(d: Path, seen: set[Path] | None = None):
    """The target's folder plus every local folder or file it references."""
    seen = set() if seen is None else seen
    d = d.resolve()
    if d in seen:
        return []
    seen.add(d)
    files = [p for p in d.iterdir() if p.is_file()]
    doc = yaml_loading.safe_load((d / "kustomization.yaml").read_text()) or {}
    for ref in _kustomize_references(doc):
        target = (d / ref).resolve()
        if target.is_dir() and _is_kustomization(target):
            files += _kustomize_files(target, seen)
        elif target.is_dir():
            files += list(_walk(target))
        elif target.is_file():
            files.append(target)
    return files


def _kustomize_references(doc: dict):
    for key in ("resources", "components", "bases", "crds", "patchesStrategicMerge"):
        yield from (r for r in doc.get(key) or [] if isinstance(r, str) and "://" not in r)
    for patch in doc.get("patches") or []:
        if isinstance(patch, dict) and "path" in patch:
            yield patch["path"]
    for generator in (doc.get("configMapGenerator") or []) + (doc.get("secretGenerator") or []):
        for entry in (generator.get("files") or []) + (generator.get("envs") or []):
            yield entry.split("=", 1)[-1]


_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)^\)", re.S | re.M)
_IMPORT_LINE = re.compile(r'^import\s+(?:\w+\s+)?"([^"]+)"', re.M)
_QUOTED = re.compile(r'"([^"]+)"')
_MODULE = re.compile(r"^module\s+(\S+)", re.M)


def go_module_root(d: Path) -> Path:
    for candidate in [d, *d.parents]:
        if (candidate / "go.mod").is_file():
            return candidate
        if candidate == SNIPPETS:
            break
    raise UnitError(f"{rel(d)} is a Go package outside any Go module (no go.mod above it)")


def _go_imports(pkg: Path) -> set[str]:
    found: set[str] = set()
    for source in pkg.glob("*.go"):
        text = source.read_text()
        for block in _IMPORT_BLOCK.findall(text):
            found.update(_QUOTED.findall(block))
        found.update(_IMPORT_LINE.findall(text))
    return found


def _go_files(d: Path):
    """The package, its testdata, go.mod/go.sum, and every local package it imports."""
    module = go_module_root(d)
    module_path = _MODULE.search((module / "go.mod").read_text()).group(1)
    files = [module / "go.mod"] + ([module / "go.sum"] if (module / "go.sum").exists() else [])
    pending, seen = [d], set()
    while pending:
        pkg = pending.pop()
        if pkg in seen:
            continue
        seen.add(pkg)
        files += [p for p in pkg.iterdir() if p.is_file()]
        # Folders without Go files are the package's data (testdata/, or the
        # manifests a test reads, such as gitops/flux/ and gitops/secrets/).
        for sub in pkg.iterdir():
            if sub.is_dir() and not any(sub.rglob("*.go")):
                files += list(_walk(sub))
        for imported in _go_imports(pkg):
            if imported == module_path or imported.startswith(module_path + "/"):
                pending.append(module / imported[len(module_path) :].lstrip("/"))
    return files


def _incident_files(d: Path):
    """The scenario, the whole Go module it builds, and the rules it loads."""
    return [*_walk(d), *_walk(SNIPPETS / "go"), *_walk(SNIPPETS / "prometheus")]


_FILES = {
    "incident": _incident_files,
    "go": _go_files,
    "helm": _helm_files,
    "kustomize": _kustomize_files,
    "prometheus": _prometheus_files,
}
