"""Kustomize units: build the base or overlay, validate, apply policy, then
prove it on the control plane (check_cluster.py)."""

from __future__ import annotations

from . import check_cluster, kubernetes
from .process import CheckFailed
from .render import kustomize_build
from .toolchain import module_version, tool
from .units import Unit


def verify(unit: Unit) -> dict:
    source = f"kustomize build {unit.path}"
    manifests = kustomize_build(unit.dir)
    objects = kubernetes.parse(manifests, source)
    if not objects:
        raise CheckFailed(source, "the kustomization builds no objects")
    kubernetes.validate_schemas(objects, source)
    # The API server's verdict before policy: its message is the one to read.
    on_cluster, outputs = check_cluster.prove_kustomize(unit, manifests)
    kubernetes.check_policy(objects, manifests, source)
    checks, tools = kubernetes.checks_and_tools()
    return {
        "checks": ["kustomize build", *checks, *on_cluster],
        "tools": {"Kustomize": module_version(tool("kustomize")), **tools},
        "outputs": {"build": manifests, **outputs},
    }
