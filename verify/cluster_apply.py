"""Objects onto the real API server: admission first, then for real.

Every failure names the object, the file that produced it (Helm's
`# Source:` line, Kustomize's origin annotation) and the API server's own
words. The page and unit are added by the report (verify/__main__.py).
"""

from __future__ import annotations

import json
import re
import time

import yaml

from .cluster import Cluster
from .process import CheckFailed

FIELD_MANAGER = "verify"
ROLLOUT_TIMEOUT = "90s"

_SEPARATOR = re.compile(r"^---\s*$", re.M)
_HELM_SOURCE = re.compile(r"^# Source: [^/]+/(.+)$", re.M)


def object_name(obj: dict) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def documents(manifests: str) -> list[tuple[str, dict]]:
    """(text, object) of every non-empty document, in order."""
    found = []
    for text in _SEPARATOR.split(manifests):
        obj = yaml.safe_load(text)
        if obj:
            found.append((text.strip("\n") + "\n", obj))
    return found


def helm_sources(manifests: str, chart: str) -> dict[str, str]:
    """Object name -> template file, from the `# Source:` line Helm writes above each."""
    sources = {}
    for text, obj in documents(manifests):
        match = _HELM_SOURCE.search(text)
        if match:
            sources[object_name(obj)] = f"snippets/{chart}/{match.group(1)}"
    return sources


def server_side_dry_run(cluster: Cluster, manifests: str, sources: dict[str, str],
                        namespace: str | None, what: str) -> None:
    """Admission and validation of every object, warnings included, changing nothing."""
    _apply(cluster, manifests, sources, namespace, what, dry_run=True)


def apply(cluster: Cluster, manifests: str, sources: dict[str, str], namespace: str | None, what: str) -> None:
    _apply(cluster, manifests, sources, namespace, what, dry_run=False)


def _apply(cluster, manifests, sources, namespace, what, dry_run):
    args = ["apply", "--server-side", f"--field-manager={FIELD_MANAGER}", "--warnings-as-errors", "-f", "-"]
    if dry_run:
        args.insert(1, "--dry-run=server")
    if namespace:
        args += ["--namespace", namespace]
    result = cluster.kubectl_result(*args, input=manifests)
    if result.returncode == 0:
        return
    # One object at a time, to say which of them the API server refused and why.
    problems = []
    for text, obj in documents(manifests):
        single = cluster.kubectl_result(*args, input=text)
        if single.returncode != 0:
            source = sources.get(object_name(obj), "(source unknown)")
            problems.append(f"{object_name(obj)} from {source}:\n  {_server_message(single)}")
    if not problems:  # only together: report the whole answer
        problems.append(_server_message(result))
    verb = "server-side dry-run" if dry_run else "server-side apply"
    raise CheckFailed(
        f"kubectl apply --server-side{' --dry-run=server' if dry_run else ''} --warnings-as-errors "
        f"({what}, Kubernetes {cluster.minor} API server)",
        f"the Kubernetes {cluster.minor} API server refused the {verb}:\n" + "\n".join(problems),
    )


def _server_message(result) -> str:
    return (result.stderr or result.stdout).strip().replace("\n", "\n  ")


def deployments(manifests: str) -> list[str]:
    return [obj["metadata"]["name"] for _, obj in documents(manifests) if obj.get("kind") == "Deployment"]


def rollout(cluster: Cluster, namespace: str, names: list[str], what: str) -> None:
    for name in names:
        result = cluster.kubectl_result("rollout", "status", f"deployment/{name}", "-n", namespace,
                                        f"--timeout={ROLLOUT_TIMEOUT}")
        if result.returncode != 0:
            raise CheckFailed(f"kubectl rollout status deployment/{name} -n {namespace} ({what})",
                              _server_message(result) + "\n" + _why_not_ready(cluster, namespace, name))


def _why_not_ready(cluster: Cluster, namespace: str, name: str) -> str:
    """What an operator would look at: the Deployment's conditions and the namespace's warnings."""
    lines = []
    deployment = json.loads(cluster.kubectl("get", "deployment", name, "-n", namespace, "-o", "json"))
    for condition in deployment.get("status", {}).get("conditions", []):
        lines.append(f"condition {condition['type']}={condition['status']}: {condition.get('message', '')}")
    events = cluster.kubectl_result("get", "events", "-n", namespace, "--field-selector", "type=Warning",
                                    "-o", "custom-columns=OBJECT:.involvedObject.name,REASON:.reason,MESSAGE:.message")
    return "\n".join(lines) + "\nwarning events:\n" + events.stdout.strip()


def delete(cluster: Cluster, manifests: str, namespace: str | None) -> None:
    """Remove what a unit applied and wait until its pods are gone, so the
    next unit finds the namespace (and its quota) as the platform left it."""
    args = ["delete", "--ignore-not-found", "--cascade=foreground", "--wait", "--timeout=90s", "-f", "-"]
    if namespace:
        args += ["--namespace", namespace]
    cluster.kubectl(*args, input=manifests)
    for ns in {obj.get("metadata", {}).get("namespace") or namespace for _, obj in documents(manifests)} - {None}:
        wait_for_no_pods(cluster, ns)


def wait_for_no_pods(cluster: Cluster, namespace: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while json.loads(cluster.kubectl("get", "pods", "-n", namespace, "-o", "json"))["items"]:
        if time.monotonic() > deadline:
            raise CheckFailed(f"clean-up of {namespace}", "pods were still there after 60s")
        time.sleep(0.3)
