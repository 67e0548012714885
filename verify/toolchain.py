"""The pinned tools: where they are, which version each is, and a salt that
changes whenever a tool or a check changes (so records are redone)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .kube_versions import KUBERNETES_VERSIONS
from .paths import ROOT, TOOLS_BIN

# The cluster every chart and overlay runs on (verify/cluster.py).
CONTROL_PLANE_MODULES = ("kubernetes", "kubernetes-1.36", "etcd", "kwok")
# Manifests are applied on top of the platform, whose quotas and Pod Security
# decide whether they are admitted.
PLATFORM = ROOT / "snippets" / "kustomize" / "platform"
_TOOL_MODULES = {  # kind -> tools/<name> modules whose pins affect its verdict
    # sops and age: the gitops package's tests encrypt and decrypt with them;
    # its Flux objects are dry-run on the control plane against Flux's CRDs.
    "go": ("staticcheck", "sops", "age", "flux-crds", *CONTROL_PLANE_MODULES),
    "helm": ("helm", "kube-score", "helm-unittest", *CONTROL_PLANE_MODULES),
    "kustomize": ("kustomize", "kube-score", *CONTROL_PLANE_MODULES),
    "prometheus": (),
    # The incident run starts its own NATS server (and Prometheus, PostgreSQL:
    # their Debian versions are in tools/*.version).
    "incident": ("nats-server",),
}


class MissingTool(Exception):
    pass


def tool(name: str) -> str:
    """The project's pinned binary, or a message saying how to get it."""
    path = TOOLS_BIN / name
    if path.is_file():
        return str(path)
    raise MissingTool(f"{name} is not installed in {TOOLS_BIN.relative_to(ROOT)}: run `make setup`")


def go() -> str:
    found = shutil.which("go")
    if not found:
        raise MissingTool("go is not on PATH: install Go 1.26")
    return found


@lru_cache(maxsize=None)
def go_version() -> str:
    out = subprocess.run([go(), "env", "GOVERSION"], capture_output=True, text=True, check=True)
    return out.stdout.strip().removeprefix("go")


@lru_cache(maxsize=None)
def module_version(binary: str) -> str:
    """The module version a Go binary was built from (`go version -m`)."""
    out = subprocess.run([go(), "version", "-m", binary], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "mod":
            return parts[2].removeprefix("v")
    return "unknown"


@lru_cache(maxsize=None)
def salt(kind: str) -> str:
    """Everything besides the unit's own files that its verdict depends on."""
    digest = hashlib.sha256()
    for source in sorted((ROOT / "verify").glob("*.py")):
        digest.update(source.read_bytes())
    for name in _TOOL_MODULES[kind]:
        for pin in ("go.mod", "go.sum"):
            path = ROOT / "tools" / name / pin
            if path.exists():
                digest.update(path.read_bytes())
    if kind in ("helm", "kustomize"):
        for path in sorted(PLATFORM.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if kind in ("prometheus", "incident"):
        digest.update(_read(ROOT / "tools" / "prometheus.version"))
    if kind == "incident":
        digest.update(_read(ROOT / "tools" / "postgresql.version"))
    digest.update(go_version().encode())
    digest.update(importlib.metadata.version("kubernetes-validate").encode())
    digest.update(" ".join(KUBERNETES_VERSIONS).encode())
    return digest.hexdigest()


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""
