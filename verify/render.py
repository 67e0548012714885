"""Rendering charts and overlays with the real tools.

Shared by the checks (which validate the output) and the macros (which show
it on a page when no verification record has it yet).
"""

from __future__ import annotations

from pathlib import Path

from .kube_versions import NEWEST
from .process import run
from .toolchain import tool


def helm_values_files(chart: Path) -> list[str]:
    """values.yaml plus every values-<environment>.yaml of the chart."""
    return ["values.yaml"] + sorted(p.name for p in chart.glob("values-*.yaml"))


def helm_template(chart: Path, values: str, kube_version: str = NEWEST) -> str:
    cmd = [tool("helm"), "template", chart.name, str(chart), "--kube-version", kube_version]
    if values != "values.yaml":  # values.yaml always applies; others layer on top
        cmd += ["--values", str(chart / values)]
    return run(cmd)


def kustomize_build(target: Path) -> str:
    return run([tool("kustomize"), "build", str(target)])
