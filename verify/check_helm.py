"""Helm units: lint, render per values file and Kubernetes version, validate,
apply policy, run the chart's unit tests, then install, upgrade and roll
back on the control plane (check_cluster.py)."""

from __future__ import annotations

from . import check_cluster, kubernetes
from .kube_versions import KUBERNETES_VERSIONS, NEWEST
from .process import CheckFailed, run
from .render import helm_template, helm_values_files
from .toolchain import module_version, tool
from .units import Unit


def verify(unit: Unit) -> dict:
    chart = unit.dir
    helm = tool("helm")
    outputs = {}
    for values in helm_values_files(chart):
        lint = [helm, "lint", "--strict", str(chart)]
        run(lint if values == "values.yaml" else lint + ["--values", str(chart / values)])
        for version in KUBERNETES_VERSIONS:
            manifests = helm_template(chart, values, version)
            source = f"helm template {unit.path} --values {values} --kube-version {version}"
            objects = kubernetes.parse(manifests, source)
            if not objects:
                raise CheckFailed(source, "the chart renders no objects")
            kubernetes.validate_schemas(objects, source)
            if version == NEWEST:
                outputs[values] = manifests
    # The API server's verdict before policy: its message is the one to read.
    on_cluster, cluster_outputs = check_cluster.prove_helm(unit)
    for values, manifests in outputs.items():
        source = f"helm template {unit.path} --values {values} --kube-version {NEWEST}"
        kubernetes.check_policy(kubernetes.parse(manifests, source), manifests, source)
    checks = ["helm lint --strict", f"helm template ({len(outputs)} values files)"]
    tools = {"Helm": module_version(helm)}
    if (chart / "tests").is_dir():
        unittest = tool("helm-unittest")
        run([unittest, str(chart)])
        checks.append("helm-unittest")
        tools["helm-unittest"] = module_version(unittest)
    more_checks, more_tools = kubernetes.checks_and_tools()
    return {"checks": checks + more_checks + on_cluster, "tools": tools | more_tools,
            "outputs": outputs | cluster_outputs}
