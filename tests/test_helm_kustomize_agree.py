"""Helm and Kustomize deploy the same orders application to prod.

The chart (snippets/helm/orders with values-prod.yaml) and the overlay
(snippets/kustomize/overlays/prod) are the same deployment written two ways,
and the pages show them side by side. These tests render both with the real
tools and fail as soon as the two drift apart on anything that changes how
the application runs. Only what each tool adds by design may differ: its own
labels, the namespace (set at install by Helm, in the overlay by Kustomize)
and how a configuration change rolls the pods (Helm: a checksum annotation;
Kustomize: a hash-suffixed ConfigMap name).

Whether prod's quota holds the HPA maximum plus the rollout surge is no
longer computed here: `make verify` rolls both out at that size on a real
control plane (verify/cluster_behaviour.py).

HELM and KUSTOMIZE name the binaries; by default the project's pinned ones
in .tools/bin.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "snippets" / "helm" / "orders"
PROD_VALUES = CHART / "values-prod.yaml"
PROD_OVERLAY = ROOT / "snippets" / "kustomize" / "overlays" / "prod"
# The newest Kubernetes version the site supports (verify/kube_versions.py).
KUBE_VERSION = "1.37.0"

DEPLOYMENTS = ["orders", "orders-worker"]
# Labels that say which tool applied an object, not what the object is.
TOOL_LABELS = {"app.kubernetes.io/managed-by", "helm.sh/chart"}
# Helm's way to roll pods on a config change; Kustomize renames the ConfigMap.
HELM_ONLY_POD_ANNOTATIONS = {"checksum/config"}
CONFIG_MAP = "orders-config"


# --- rendering ---------------------------------------------------------------


def _tool(env: str, name: str) -> str:
    path = Path(os.environ.get(env) or ROOT / ".tools" / "bin" / name)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"{name} not found at {path}. Install the pinned tools with `make tools` "
            f"(or point {env} at a {name} binary).",
            pytrace=False,
        )
    return str(path)


def _run(cmd: list[str]) -> str:
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(cmd)}` failed:\n{result.stderr}", pytrace=False)
    return result.stdout


def _objects(manifests: str) -> dict[tuple[str, str], dict]:
    """Rendered objects by (kind, name)."""
    return {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(manifests) if o}


@pytest.fixture(scope="module")
def helm() -> dict[tuple[str, str], dict]:
    return _objects(_run([
        _tool("HELM", "helm"), "template", "orders", str(CHART),
        "--values", str(PROD_VALUES), "--kube-version", KUBE_VERSION,
    ]))


@pytest.fixture(scope="module")
def kustomize() -> dict[tuple[str, str], dict]:
    return _objects(_run([_tool("KUSTOMIZE", "kustomize"), "build", str(PROD_OVERLAY)]))


def _pod(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]


def _container(deployment: dict) -> dict:
    (container,) = _pod(deployment)["containers"]
    return container


def _config_map_data(objects: dict, deployment: dict) -> dict:
    """The environment a Deployment's container gets from its ConfigMap."""
    (source,) = _container(deployment)["envFrom"]
    return objects[("ConfigMap", source["configMapRef"]["name"])]["data"]


_QUANTITY = re.compile(r"^([0-9.]+)([a-zA-Z]*)$")
_SUFFIX = {
    "m": Fraction(1, 1000), "": Fraction(1), "k": Fraction(10**3), "M": Fraction(10**6),
    "G": Fraction(10**9), "Ki": Fraction(2**10), "Mi": Fraction(2**20), "Gi": Fraction(2**30),
}


def _quantity(value) -> Fraction:
    """A Kubernetes quantity as a number, so 0.5 and 500m compare equal."""
    number, suffix = _QUANTITY.match(str(value)).groups()
    return Fraction(number) * _SUFFIX[suffix]


def _resources(container: dict) -> dict:
    return {
        kind: {name: _quantity(v) for name, v in values.items()}
        for kind, values in container.get("resources", {}).items()
    }


# --- the core objects, field by field -----------------------------------------


def test_both_deploy_the_same_objects(helm, kustomize):
    def names(objects):
        # ConfigMap names differ by design (hash suffix); their content is compared below.
        return sorted(key for key in objects if key[0] != "ConfigMap")

    assert names(helm) == names(kustomize)
    for kind in ("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"):
        assert any(k == kind for k, _ in helm), f"the chart renders no {kind} in prod"


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_deployments_select_and_label_their_pods_the_same(helm, kustomize, name):
    h, k = helm[("Deployment", name)], kustomize[("Deployment", name)]
    assert h["spec"]["selector"] == k["spec"]["selector"]
    assert h["spec"]["template"]["metadata"]["labels"] == k["spec"]["template"]["metadata"]["labels"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_deployments_run_the_same_image_and_arguments(helm, kustomize, name):
    h, k = _container(helm[("Deployment", name)]), _container(kustomize[("Deployment", name)])
    assert h["image"] == k["image"]
    assert not h["image"].endswith(":latest")
    assert (h["name"], h.get("args"), h.get("imagePullPolicy")) == (k["name"], k.get("args"), k.get("imagePullPolicy"))


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_containers_listen_on_the_same_ports(helm, kustomize, name):
    assert _container(helm[("Deployment", name)])["ports"] == _container(kustomize[("Deployment", name)])["ports"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_probes_check_the_same_endpoints_with_the_same_timing(helm, kustomize, name):
    h, k = _container(helm[("Deployment", name)]), _container(kustomize[("Deployment", name)])
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert h.get(probe) == k.get(probe), f"{name}: {probe} differs"
    assert h["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert h["readinessProbe"]["httpGet"]["path"] == "/readyz"


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_containers_request_and_limit_the_same_resources(helm, kustomize, name):
    h, k = _resources(_container(helm[("Deployment", name)])), _resources(_container(kustomize[("Deployment", name)]))
    assert h == k
    assert {"cpu", "memory"} <= h["requests"].keys() and "memory" in h["limits"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_pods_run_with_the_same_security_context(helm, kustomize, name):
    h, k = helm[("Deployment", name)], kustomize[("Deployment", name)]
    assert _pod(h)["securityContext"] == _pod(k)["securityContext"]
    assert _container(h)["securityContext"] == _container(k)["securityContext"]
    assert _pod(h)["securityContext"]["runAsUser"] == 65532


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_pods_are_scheduled_and_rolled_out_the_same_way(helm, kustomize, name):
    h, k = helm[("Deployment", name)], kustomize[("Deployment", name)]
    for field in ("topologySpreadConstraints", "priorityClassName", "serviceAccountName",
                  "terminationGracePeriodSeconds", "enableServiceLinks"):
        assert _pod(h).get(field) == _pod(k).get(field), f"{name}: {field} differs"
    assert h["spec"]["strategy"] == k["spec"]["strategy"]
    assert _container(h).get("lifecycle") == _container(k).get("lifecycle")


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_containers_get_the_same_configuration(helm, kustomize, name):
    assert _config_map_data(helm, helm[("Deployment", name)]) == _config_map_data(kustomize, kustomize[("Deployment", name)])


def test_replica_counts_and_autoscaling_bounds_agree(helm, kustomize):
    for name in DEPLOYMENTS:
        assert helm[("Deployment", name)]["spec"].get("replicas") == kustomize[("Deployment", name)]["spec"].get("replicas"), name
    # The HPA owns the API's replica count, so neither sets it on the Deployment.
    assert "replicas" not in helm[("Deployment", "orders")]["spec"]
    assert helm[("HorizontalPodAutoscaler", "orders")]["spec"] == kustomize[("HorizontalPodAutoscaler", "orders")]["spec"]


def test_services_route_the_same_ports_to_the_same_pods(helm, kustomize):
    assert helm[("Service", "orders")]["spec"] == kustomize[("Service", "orders")]["spec"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_disruption_budgets_agree(helm, kustomize, name):
    assert helm[("PodDisruptionBudget", name)]["spec"] == kustomize[("PodDisruptionBudget", name)]["spec"]


# --- everything else ----------------------------------------------------------


def _comparable(objects: dict) -> dict:
    """Every object without what the tools add or name differently by design."""
    out = {}
    for (kind, name), obj in objects.items():
        if kind == "ConfigMap":
            continue
        obj = copy.deepcopy(obj)
        meta = obj["metadata"]
        meta.pop("namespace", None)
        meta["labels"] = {k: v for k, v in meta.get("labels", {}).items() if k not in TOOL_LABELS}
        if kind == "Deployment":
            template = obj["spec"]["template"]
            annotations = template["metadata"].pop("annotations", {})
            if rest := {k: v for k, v in annotations.items() if k not in HELM_ONLY_POD_ANNOTATIONS}:
                template["metadata"]["annotations"] = rest
            for source in template["spec"]["containers"][0].get("envFrom", []):
                source["configMapRef"]["name"] = CONFIG_MAP
            for container in template["spec"]["containers"]:
                container["resources"] = _resources(container)
        out[(kind, name)] = obj
    return out


def test_no_other_field_differs(helm, kustomize):
    h, k = _comparable(helm), _comparable(kustomize)
    for key in h:
        assert h[key] == k[key], f"{key[0]}/{key[1]} differs between Helm and Kustomize"


def test_helm_and_kustomize_name_the_config_map_by_their_own_rules(helm, kustomize):
    assert ("ConfigMap", CONFIG_MAP) in helm
    (name,) = [n for kind, n in kustomize if kind == "ConfigMap"]
    assert re.fullmatch(rf"{CONFIG_MAP}-[a-z0-9]{{10}}", name), name
