"""Charts and overlays on a real control plane, for every supported version.

For each Kubernetes version (verify/cluster.py starts its cluster once per
run, with the platform applied): a server-side dry-run with warnings as
errors, then a real apply (Kustomize) or `helm install` / `upgrade` to the
next environment / `rollback`, each waiting for the rollout on the simulated
nodes; in prod, the behaviour the pages claim (verify/cluster_behaviour.py).
The cluster is shared by the run, so one unit at a time uses it and removes
what it applied afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import yaml

from . import cluster as clusters
from . import cluster_apply as kube
from . import cluster_behaviour as behaviour
from .cluster import Cluster
from .kube_versions import KUBERNETES_VERSIONS, NEWEST
from .paths import ROOT, rel
from .process import CheckFailed, run
from .render import helm_values_files
from .toolchain import tool
from .units import Unit

# The pages' behavioural claims are about prod; the other environments are
# admitted, applied and rolled out.
BEHAVIOUR_NAMESPACE = "orders-prod"
# A values file's environment is its namespace; values.yaml alone is what
# every environment starts from (dry-run in the first one).
HELM_NAMESPACES = {"values-dev.yaml": "orders-dev", "values-staging.yaml": "orders-staging",
                   "values-prod.yaml": "orders-prod", "values.yaml": "orders-dev"}
PROMOTION = ("values-dev.yaml", "values-staging.yaml", "values-prod.yaml")
RELEASE = "orders"


def checks(what: str = "server-side apply, admission, rollout") -> list[str]:
    versions = "/".join(v.rsplit(".", 1)[0] for v in KUBERNETES_VERSIONS)
    return [f"Kubernetes {versions} API server: {what}"]


def has_platform() -> bool:
    """Charts and overlays are applied into the environments the platform
    defines; a project without one (the engine's own test fixtures) has
    nowhere to apply them, and its records claim no cluster."""
    return clusters.PLATFORM.is_dir()


BEHAVIOUR_CHECKS = ("on simulated nodes in three zones: rollout without losing ready pods, zone spread, "
                    "one eviction at a time, quota at the HPA maximum plus surge")


# --- Kustomize ------------------------------------------------------------------


def prove_kustomize(unit: Unit, manifests: str) -> tuple[list[str], dict[str, str]]:
    if not has_platform():
        return [], {}
    sources = kustomize_origins(unit)
    outputs: dict[str, str] = {}
    behaved = False
    done = checks()
    for version in KUBERNETES_VERSIONS:
        cluster = clusters.get(version)
        newest = version == NEWEST
        with cluster.lock:
            objects = [o for _, o in kube.documents(manifests)]
            namespaced = {o.get("metadata", {}).get("namespace") for o in objects} - {None}
            what = f"kustomize build {unit.path}"
            if unit.path == "kustomize/platform":
                kube.server_side_dry_run(cluster, manifests, sources, None, what)
                kube.apply(cluster, manifests, sources, None, what)
                for ns in sorted(namespaced):
                    shown = behaviour.limit_range_defaults(cluster, ns)
                    if newest and ns == BEHAVIOUR_NAMESPACE:
                        outputs["kubectl:limit-range-defaults"] = shown
                done = checks("server-side apply, admission, LimitRange defaults")
                continue
            if not namespaced:  # a base: admitted in the first environment, applied by its overlays
                kube.server_side_dry_run(cluster, manifests, sources, HELM_NAMESPACES["values.yaml"], what)
                done = checks("server-side dry-run (admission)")
                continue
            (namespace,) = namespaced
            kube.server_side_dry_run(cluster, manifests, sources, None, what)
            try:
                kube.apply(cluster, manifests, sources, None, what)
                found = _environment(cluster, namespace, objects, what, newest and namespace == BEHAVIOUR_NAMESPACE)
                outputs.update(found)
                behaved |= namespace == BEHAVIOUR_NAMESPACE
            finally:
                kube.delete(cluster, manifests, None)
    return done + ([BEHAVIOUR_CHECKS] if behaved else []), outputs


# Transformers that touch every object and never explain a refusal.
_BOOKKEEPING_TRANSFORMERS = {"NamespaceTransformer", "LabelTransformer"}


def kustomize_origins(unit: Unit) -> dict[str, str]:
    """Object -> the file it came from, and the patches that changed it
    (Kustomize's buildMetadata, in a throwaway kustomization around the unit)."""
    wrapper = ROOT / ".cache" / "kustomize-origins" / f"{unit.path.replace('/', '_')}-{os.getpid()}"
    wrapper.mkdir(parents=True, exist_ok=True)
    try:
        (wrapper / "kustomization.yaml").write_text(yaml.safe_dump({
            "resources": [os.path.relpath(unit.dir, wrapper)],
            "buildMetadata": ["originAnnotations", "transformerAnnotations"],
        }))
        built = run([tool("kustomize"), "build", str(wrapper)])
        sources = {}
        for _, obj in kube.documents(built):
            annotations = obj.get("metadata", {}).get("annotations") or {}
            origin = yaml.safe_load(annotations.get("config.kubernetes.io/origin") or "{}") or {}
            where = origin.get("path") or origin.get("configuredIn")
            text = rel((wrapper / where).resolve()) if where else "(generated)"
            steps = yaml.safe_load(annotations.get("alpha.config.kubernetes.io/transformations") or "[]") or []
            changed: dict[str, list[str]] = {}
            for step in steps:
                kind = (step.get("configuredBy") or {}).get("kind", "")
                if kind not in _BOOKKEEPING_TRANSFORMERS and step.get("configuredIn"):
                    where_set = rel((wrapper / step["configuredIn"]).resolve())
                    changed.setdefault(where_set, []).append(kind)
            for where_set, kinds in changed.items():
                text += f", through {where_set} ({', '.join(dict.fromkeys(kinds))})"
            sources[kube.object_name(obj)] = text
        return sources
    finally:
        shutil.rmtree(wrapper, ignore_errors=True)


# --- Helm ---------------------------------------------------------------------------


def prove_helm(unit: Unit) -> tuple[list[str], dict[str, str]]:
    if not has_platform():
        return [], {}
    outputs: dict[str, str] = {}
    values_files = helm_values_files(unit.dir)
    for version in KUBERNETES_VERSIONS:
        cluster = clusters.get(version)
        newest = version == NEWEST
        with cluster.lock:
            helm = _Helm(cluster, unit)
            for values in values_files:  # admission of every values file in its environment
                namespace = HELM_NAMESPACES.get(values, HELM_NAMESPACES["values.yaml"])
                manifests = helm.template(values, namespace)
                kube.server_side_dry_run(cluster, manifests, kube.helm_sources(manifests, unit.path), namespace,
                                         f"helm template {unit.path} --values {values}")
            for values in values_files:  # each environment for real, in its namespace
                namespace = HELM_NAMESPACES.get(values)
                if values == "values.yaml" or namespace is None:
                    continue
                try:
                    helm.install(values, namespace)
                    manifests = helm.template(values, namespace)
                    objects = [o for _, o in kube.documents(manifests)]
                    found = _environment(cluster, namespace, objects, f"helm install --values {values}",
                                         newest and namespace == BEHAVIOUR_NAMESPACE)
                    outputs.update(found)
                finally:
                    helm.uninstall(namespace)
            promotion = [v for v in PROMOTION if v in values_files]
            if len(promotion) > 1:
                outputs.update(helm.promote(promotion, BEHAVIOUR_NAMESPACE, newest))
    steps = "helm install, upgrade " + " → ".join(v.removeprefix("values-").removesuffix(".yaml") for v in PROMOTION)
    return checks() + [f"{steps}, rollback (--wait)", BEHAVIOUR_CHECKS], outputs


class _Helm:
    def __init__(self, cluster: Cluster, unit: Unit):
        self.cluster, self.unit = cluster, unit
        home = cluster.root / "helm"
        self.env = {"KUBECONFIG": str(cluster.kubeconfig), "HELM_CACHE_HOME": str(home / "cache"),
                    "HELM_CONFIG_HOME": str(home / "config"), "HELM_DATA_HOME": str(home / "data")}

    def _run(self, *args: str) -> str:
        return run([tool("helm"), *args], env=self.env)

    def _values(self, values: str) -> list[str]:
        return [] if values == "values.yaml" else ["--values", str(self.unit.dir / values)]

    def template(self, values: str, namespace: str) -> str:
        # The cluster's own version (helm reads it), as `helm install` will see it.
        return self._run("template", RELEASE, str(self.unit.dir), "--namespace", namespace,
                         "--kube-version", self.cluster.minor + ".0", *self._values(values))

    def install(self, values: str, namespace: str) -> None:
        self._run("install", RELEASE, str(self.unit.dir), "--namespace", namespace, "--wait",
                  "--timeout", "120s", *self._values(values))

    def uninstall(self, namespace: str) -> None:
        self._run("uninstall", RELEASE, "--namespace", namespace, "--wait", "--cascade", "foreground",
                  "--ignore-not-found")
        kube.wait_for_no_pods(self.cluster, namespace)

    def promote(self, chain: list[str], namespace: str, record: bool) -> dict[str, str]:
        """One release promoted through the environments' values, then rolled back."""
        outputs = {}
        try:
            self.install(chain[0], namespace)
            for values in chain[1:]:
                self._run("upgrade", RELEASE, str(self.unit.dir), "--namespace", namespace, "--wait",
                          "--timeout", "120s", *self._values(values))
            self._run("rollback", RELEASE, str(len(chain) - 1), "--namespace", namespace, "--wait",
                      "--timeout", "120s")
            history = self._run("history", RELEASE, "--namespace", namespace)
            if record:
                outputs["helm:history"] = f"$ helm history {RELEASE} --namespace {namespace}\n{history.strip()}"
        finally:
            self.uninstall(namespace)
        return outputs


# --- one environment ------------------------------------------------------------------


def _environment(cluster: Cluster, namespace: str, objects: list[dict], what: str, behave: bool) -> dict[str, str]:
    """Rolled out, autoscaled to its minimum, no blocking budget; in prod the behaviours."""
    names = [o["metadata"]["name"] for o in objects if o["kind"] == "Deployment"]
    kube.rollout(cluster, namespace, names, what)
    for hpa in (o for o in objects if o["kind"] == "HorizontalPodAutoscaler"):
        behaviour.wait_for_autoscaler(cluster, namespace, hpa)
    budgets = [o["metadata"]["name"] for o in objects if o["kind"] == "PodDisruptionBudget"]
    behaviour.budgets_allow_a_drain(cluster, namespace, budgets)
    if not behave:
        return {}
    api = next((o["spec"]["scaleTargetRef"]["name"] for o in objects if o["kind"] == "HorizontalPodAutoscaler"),
               names[0])
    outputs = {"kubectl:zones": behaviour.zones_are_spread(cluster, namespace, api)}
    for name in names:
        if name != api:
            behaviour.zones_are_spread(cluster, namespace, name)
    outputs["kubectl:rollout"] = behaviour.rollout_keeps_ready_pods(cluster, namespace, api, what)
    outputs["kubectl:eviction"] = behaviour.eviction_takes_one_pod_at_a_time(cluster, namespace, api)
    outputs["kubectl:quota"] = behaviour.quota_fits_the_maximum(cluster, namespace, objects)
    return outputs


# --- Flux ---------------------------------------------------------------------------

FLUX_GROUP = ".toolkit.fluxcd.io/"
FLUX_CRD_MODULES = ("github.com/fluxcd/source-controller", "github.com/fluxcd/kustomize-controller")


def prove_flux(unit: Unit) -> list[str]:
    """Flux objects in the unit's folder, server-side dry-run against Flux's
    own CRDs (from the module zips pinned in tools/flux-crds)."""
    files = sorted(p for p in unit.dir.rglob("*.yaml") if FLUX_GROUP in p.read_text())
    if not files or not has_platform():
        return []
    manifests, sources = "", {}
    for path in files:
        text = path.read_text()
        manifests += text + "\n---\n"
        sources.update({kube.object_name(obj): rel(path) for _, obj in kube.documents(text)})
    namespaces = {obj["metadata"].get("namespace") for _, obj in kube.documents(manifests)} - {None}
    for version in KUBERNETES_VERSIONS:
        cluster = clusters.get(version)
        with cluster.lock:
            _install_flux_crds(cluster)
            for namespace in sorted(namespaces):
                if cluster.kubectl_result("get", "namespace", namespace).returncode != 0:
                    cluster.kubectl("create", "namespace", namespace)
            kube.server_side_dry_run(cluster, manifests, sources, None, f"Flux objects of {unit.path}")
    return checks("server-side dry-run against Flux's CRDs")


def _install_flux_crds(cluster: Cluster) -> None:
    if cluster.flux_crds:
        return
    crds = []
    for module in FLUX_CRD_MODULES:
        folder = Path(_module_dir(module)) / "config" / "crd" / "bases"
        crds += sorted(folder.glob("*.yaml"))
    if not crds:
        raise CheckFailed("Flux CRDs", "no CRDs found in the Flux modules of tools/flux-crds: run `make setup`")
    cluster.kubectl("apply", "--server-side", f"--field-manager={kube.FIELD_MANAGER}",
                    *[arg for crd in crds for arg in ("-f", str(crd))])
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                    *[arg for crd in crds for arg in ("-f", str(crd))])
    cluster.flux_crds = True


def _module_dir(module: str) -> str:
    """Where the module zip is unpacked; go verifies it against tools/flux-crds/go.sum."""
    out = run(["go", "mod", "download", "-json", module], cwd=ROOT / "tools" / "flux-crds")
    return json.loads(out)["Dir"]
