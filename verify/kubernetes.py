"""Rendered Kubernetes objects: schema validation and policy.

Schemas come from the pinned kubernetes-validate package (offline), strict
about unknown fields, for every supported Kubernetes version. Policy is
kube-score (a well-kept checker) plus the site's own rules below, which
state exactly what every workload on these pages must have.
"""

from __future__ import annotations

import yaml

from . import yaml_loading
from .kube_versions import KUBERNETES_VERSIONS, NEWEST
from .process import CheckFailed, run
from .toolchain import module_version, tool

# Kinds without a bundled schema that are validated another way. Nothing here yet:
# an unknown kind is a failure, never a warning.
VALIDATED_ELSEWHERE: dict[str, str] = {}

# kube-score checks this site does not apply, each with its reason.
KUBE_SCORE_IGNORED = {
    "container-image-pull-policy": (
        "images are pinned by tag (never :latest), so IfNotPresent is correct; "
        "Always only adds registry load at scale"
    ),
}
KUBE_SCORE_FLAGS = [
    # A CPU limit throttles a Go service even on an idle node; the pages
    # explain why requests plus a memory limit are the rule here.
    "--ignore-container-cpu-limit",
]

# The site's own rules: (id, what it demands). Exceptions: annotate the object
# with `policy.kunskapsbas.se/ignore: <id>[,<id>]` and
# `policy.kunskapsbas.se/exception-reason: <why>`; the page shows the reason.
EXCEPTION_IGNORE = "policy.kunskapsbas.se/ignore"
EXCEPTION_REASON = "policy.kunskapsbas.se/exception-reason"
RULES = {
    "resources": "every container requests CPU and memory and limits memory",
    "probes": "every container has a liveness and a readiness probe",
    "run-as-non-root": "securityContext.runAsNonRoot is true",
    "read-only-root": "securityContext.readOnlyRootFilesystem is true",
    "no-privilege-escalation": "securityContext.allowPrivilegeEscalation is false",
    "pinned-image": "images carry an explicit tag other than :latest (or a digest)",
}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"}


def parse(manifests: str, source: str) -> list[dict]:
    try:
        return [doc for doc in yaml_loading.safe_load_all(manifests) if doc]
    except yaml.YAMLError as error:
        raise CheckFailed(source, f"rendered output is not valid YAML: {error}") from None


def validate_schemas(objects: list[dict], source: str) -> None:
    # Imported here: loading its schemas' index was a tenth of every site build,
    # which imports this module only for exceptions() and never validates.
    import kubernetes_validate

    problems = []
    for obj in objects:
        name = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
        if obj.get("kind") in VALIDATED_ELSEWHERE:
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.SchemaNotFoundError:
                problems.append(f"{name}: Kubernetes {version} has no schema for this kind")
            except kubernetes_validate.ValidationError as error:
                path = "/".join(str(p) for p in error.path) or "(root)"
                problems.append(f"{name}: Kubernetes {version}: {path}: {error.message}")
    if problems:
        raise CheckFailed(f"kubernetes-validate --strict ({source})", "\n".join(problems))


def check_policy(objects: list[dict], manifests: str, source: str) -> None:
    problems = [p for obj in objects if obj.get("kind") in WORKLOAD_KINDS for p in _own_rules(obj)]
    if problems:
        raise CheckFailed(f"site policy ({source})", "\n".join(problems))
    ignored = ",".join(KUBE_SCORE_IGNORED)
    run(
        [tool("kube-score"), "score", "--output-format", "ci", "--ignore-test", ignored,
         "--kubernetes-version", "v" + ".".join(NEWEST.split(".")[:2]), *KUBE_SCORE_FLAGS, "-"],
        input=manifests,
    )


def _own_rules(obj: dict) -> list[str]:
    meta = obj.get("metadata", {})
    annotations = meta.get("annotations") or {}
    waived = {r.strip() for r in annotations.get(EXCEPTION_IGNORE, "").split(",") if r.strip()}
    if (waived or annotations.get("kube-score/ignore")) and not annotations.get(EXCEPTION_REASON):
        return [f"{obj['kind']}/{meta.get('name')}: a policy exception without {EXCEPTION_REASON}"]
    spec = _pod_spec(obj)
    problems = []
    for container in spec.get("containers", []):
        where = f"{obj['kind']}/{meta.get('name')} container {container.get('name')}"
        for rule, ok in _container_rules(container, spec).items():
            if not ok and rule not in waived:
                problems.append(f"{where}: {RULES[rule]} [{rule}]")
    return problems


def _container_rules(c: dict, pod: dict) -> dict[str, bool]:
    resources = c.get("resources") or {}
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
    sc = {**(pod.get("securityContext") or {}), **(c.get("securityContext") or {})}
    image = c.get("image", "")
    tag = image.rsplit("/", 1)[-1]
    return {
        "resources": {"cpu", "memory"} <= requests.keys() and "memory" in limits,
        "probes": "livenessProbe" in c and "readinessProbe" in c,
        "run-as-non-root": sc.get("runAsNonRoot") is True,
        "read-only-root": sc.get("readOnlyRootFilesystem") is True,
        "no-privilege-escalation": sc.get("allowPrivilegeEscalation") is False,
        "pinned-image": "@" in image or (":" in tag and not tag.endswith(":latest")),
    }


def _pod_spec(obj: dict) -> dict:
    spec = obj.get("spec", {})
    if obj["kind"] == "Pod":
        return spec
    if obj["kind"] == "CronJob":
        return spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("template", {}).get("spec", {})


def exceptions(objects: list[dict]) -> list[dict]:
    """Object-level policy exceptions, for the page to show with their reasons."""
    found = []
    for obj in objects:
        annotations = obj.get("metadata", {}).get("annotations") or {}
        ids = annotations.get(EXCEPTION_IGNORE) or annotations.get("kube-score/ignore")
        if ids:
            found.append({
                "object": f"{obj['kind']}/{obj['metadata'].get('name')}",
                "rules": ids,
                "reason": annotations.get(EXCEPTION_REASON, ""),
            })
    return found


def checks_and_tools() -> tuple[list[str], dict[str, str]]:
    versions = "/".join(".".join(v.split(".")[:2]) for v in KUBERNETES_VERSIONS)
    return (
        [f"schema Kubernetes {versions}", "policy (kube-score + site rules)"],
        {"kube-score": module_version(tool("kube-score"))},
    )
