"""The behaviour the pages claim, tested on the simulated nodes.

Each check returns what a reader may see on a page: a real kubectl command
and its output (the `kubectl_output` macro shows it), and raises CheckFailed
when the cluster disagrees with the claim.
"""

from __future__ import annotations

import json
import math
import subprocess
import threading
import time
from collections import Counter

from .cluster import ZONES, Cluster, binary
from .process import CheckFailed


def shown(cluster: Cluster, *args: str) -> str:
    """`$ kubectl ...` and what it printed, as a reader would type and see it."""
    result = cluster.kubectl_result(*args)
    return f"$ kubectl {' '.join(args)}\n{(result.stdout + result.stderr).strip()}"


def _deployment(cluster: Cluster, namespace: str, name: str) -> dict:
    return cluster.get_json("deployment", name, "-n", namespace)


def _selector(deployment: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in deployment["spec"]["selector"]["matchLabels"].items())


def _pods(cluster: Cluster, namespace: str, selector: str) -> list[dict]:
    return cluster.get_json("pods", "-n", namespace, "-l", selector)["items"]


def _serving(pod: dict) -> bool:
    """Ready and not terminating: a pod the Service sends requests to."""
    if pod["metadata"].get("deletionTimestamp"):
        return False
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod.get("status", {}).get("conditions", []))


def _wait(what: str, condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(what, f"not reached within {timeout:.0f}s")
        time.sleep(0.3)


def wait_for_autoscaler(cluster: Cluster, namespace: str, hpa: dict) -> int:
    """The HPA raises a Deployment created without replicas to its minimum."""
    name, minimum = hpa["spec"]["scaleTargetRef"]["name"], hpa["spec"].get("minReplicas", 1)

    def at_minimum():
        status = _deployment(cluster, namespace, name).get("status", {})
        return status.get("readyReplicas", 0) >= minimum and status.get("replicas") == minimum
    _wait(f"HorizontalPodAutoscaler/{hpa['metadata']['name']} raising deployment/{name} to {minimum} ready pods",
          at_minimum)
    return minimum


def zones_are_spread(cluster: Cluster, namespace: str, name: str) -> str:
    """Every DoNotSchedule zone constraint holds for the running pods."""
    deployment = _deployment(cluster, namespace, name)
    pods = _pods(cluster, namespace, _selector(deployment))
    nodes = {n["metadata"]["name"]: n["metadata"]["labels"] for n in cluster.get_json("nodes")["items"]}
    for constraint in deployment["spec"]["template"]["spec"].get("topologySpreadConstraints", []):
        key = constraint["topologyKey"]
        counts = Counter(nodes[p["spec"]["nodeName"]].get(key) for p in pods if p["spec"].get("nodeName"))
        domains = {labels.get(key) for labels in nodes.values()}
        spread = [counts.get(d, 0) for d in domains]
        if max(spread) - min(spread) > constraint["maxSkew"]:
            raise CheckFailed(f"topology spread of deployment/{name} in {namespace}",
                              f"pods per {key}: {dict(counts)}; maxSkew is {constraint['maxSkew']}")
    in_zone = Counter(nodes[p["spec"]["nodeName"]]["topology.kubernetes.io/zone"] for p in pods)
    if len(pods) >= len(ZONES) and len(in_zone) < len(ZONES):
        raise CheckFailed(f"zone spread of deployment/{name} in {namespace}",
                          f"{len(pods)} pods in only {sorted(in_zone)}")
    return shown(cluster, "get", "pods", "-n", namespace, "-l", _selector(deployment),
                 "-o", "custom-columns=POD:.metadata.name,READY:.status.containerStatuses[0].ready,NODE:.spec.nodeName",
                 "--sort-by=.spec.nodeName") + "\n\n" + shown(cluster, "get", "nodes", "-L", "topology.kubernetes.io/zone")


def rollout_keeps_ready_pods(cluster: Cluster, namespace: str, name: str, what: str) -> str:
    """A new image rolls out completely and the count of serving pods never
    drops below what it was before (maxUnavailable: 0 with a surge)."""
    deployment = _deployment(cluster, namespace, name)
    selector = _selector(deployment)
    before = sum(_serving(p) for p in _pods(cluster, namespace, selector))
    watch = _PodWatch(cluster, namespace, selector)
    try:
        watch.wait_for(lambda serving: sum(serving.values()) == before)  # the initial listing
        listed = len(watch.counts)
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        cluster.kubectl("set", "image", f"deployment/{name}", "-n", namespace,
                        f"{container['name']}={container['image']}-next")
        cluster.kubectl("rollout", "status", f"deployment/{name}", "-n", namespace, "--timeout=90s")
        final = {p["metadata"]["name"] for p in _pods(cluster, namespace, selector) if _serving(p)}
        # The watch may trail the rollout: read on until it has seen the end.
        watch.wait_for(lambda serving: {pod for pod, up in serving.items() if up} == final)
    finally:
        watch.stop()
    counts = watch.counts[listed - 1:]
    lowest = min(counts)
    if lowest < before or len(counts) < 2:
        raise CheckFailed(f"rollout of deployment/{name} in {namespace} ({what})",
                          f"serving pods dropped from {before} to {lowest} during the rollout: {counts}")
    trace = [count for i, count in enumerate(counts) if i == 0 or count != counts[i - 1]]
    return (f"# serving pods of deployment/{name}, watched through the rollout of a new image\n"
            f"{' → '.join(map(str, trace))}  (never below {before})\n"
            + shown(cluster, "rollout", "history", f"deployment/{name}", "-n", namespace))


class _PodWatch:
    """`kubectl get pods --watch`: after every event, how many pods serve."""

    def __init__(self, cluster: Cluster, namespace: str, selector: str):
        self.process = subprocess.Popen(
            [str(binary("kubectl")), "--kubeconfig", str(cluster.kubeconfig), "get", "pods", "-n", namespace,
             "-l", selector, "--watch", "--output-watch-events", "-o", "json"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        self.serving: dict[str, bool] = {}
        self.counts: list[int] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        decoder, buffer = json.JSONDecoder(), ""
        for line in self.process.stdout:
            buffer += line
            try:
                event, end = decoder.raw_decode(buffer.lstrip())
            except json.JSONDecodeError:
                continue  # an object spans many lines
            buffer = buffer.lstrip()[end:]
            pod = event["object"]
            with self._changed:
                self.serving[pod["metadata"]["name"]] = event["type"] != "DELETED" and _serving(pod)
                self.counts.append(sum(self.serving.values()))
                self._changed.notify_all()

    def wait_for(self, condition, timeout: float = 30) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self.serving), timeout):
                raise CheckFailed("kubectl get pods --watch", f"the watch did not see the expected pods: {self.serving}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def budgets_allow_a_drain(cluster: Cluster, namespace: str, names: list[str]) -> None:
    """A PodDisruptionBudget that allows no disruption with every pod ready
    blocks every node drain forever: caught here, not at 03:00."""
    for name in names:
        def observed():
            pdb = cluster.get_json("pdb", name, "-n", namespace)
            status = pdb.get("status", {})
            return pdb if status.get("observedGeneration") == pdb["metadata"]["generation"] else None
        pdb = _wait(f"the disruption controller observing PodDisruptionBudget/{name}", observed)
        status = pdb["status"]
        if status.get("disruptionsAllowed", 0) < 1:
            raise CheckFailed(
                f"PodDisruptionBudget/{name} in {namespace}",
                f"it allows no disruption with {status.get('currentHealthy')} of {status.get('expectedPods')} "
                f"pods healthy (desiredHealthy {status.get('desiredHealthy')}): every drain of a node "
                "running one of its pods would wait forever",
            )


def eviction_takes_one_pod_at_a_time(cluster: Cluster, namespace: str, name: str) -> str:
    """Through the Eviction API (what kubectl drain uses), with no room to
    replace a pod: the first eviction is granted, the second refused."""
    selector = _selector(_deployment(cluster, namespace, name))
    pods = sorted(p["metadata"]["name"] for p in _pods(cluster, namespace, selector) if _serving(p))
    nodes = [n["metadata"]["name"] for n in cluster.get_json("nodes")["items"]]
    for node in nodes:  # a drain in progress everywhere: no replacement can start
        cluster.kubectl("cordon", node)
    try:
        first = _evict(cluster, namespace, pods[0])
        if first.returncode != 0:
            raise CheckFailed(f"eviction of pod/{pods[0]} in {namespace}", first.stderr.strip())
        second = _evict(cluster, namespace, pods[1])
        if second.returncode == 0 or "disruption budget" not in second.stderr:
            raise CheckFailed(f"eviction of a second pod of deployment/{name} in {namespace}",
                              "the Eviction API granted it: the PodDisruptionBudget does not hold "
                              f"drains to one pod at a time ({second.stderr.strip()})")
        command = (f"$ kubectl create --raw /api/v1/namespaces/{namespace}/pods/{pods[1]}/eviction "
                   "-f -  # a policy/v1 Eviction, every node cordoned")
        return f"{command}\n{second.stderr.strip()}"
    finally:
        for node in nodes:
            cluster.kubectl("uncordon", node)
        cluster.kubectl("rollout", "status", f"deployment/{name}", "-n", namespace, "--timeout=90s")


def _evict(cluster: Cluster, namespace: str, pod: str):
    body = json.dumps({"apiVersion": "policy/v1", "kind": "Eviction",
                       "metadata": {"name": pod, "namespace": namespace}})
    return cluster.kubectl_result("create", "--raw", f"/api/v1/namespaces/{namespace}/pods/{pod}/eviction",
                                  "-f", "-", input=body)


def quota_fits_the_maximum(cluster: Cluster, namespace: str, objects: list[dict]) -> str:
    """Every Deployment at its most (the HPA maximum, or its replicas) rolls
    out a new image with its full surge inside the namespace's quota; a pod
    beyond what is left is refused by the API server."""
    hpas = {o["spec"]["scaleTargetRef"]["name"]: o for o in objects if o["kind"] == "HorizontalPodAutoscaler"}
    names = [o["metadata"]["name"] for o in objects if o["kind"] == "Deployment"]
    for name in names:
        if name in hpas:
            cluster.kubectl("scale", f"deployment/{name}", "-n", namespace,
                            f"--replicas={hpas[name]['spec']['maxReplicas']}")
    for name in names:
        cluster.kubectl("rollout", "status", f"deployment/{name}", "-n", namespace, "--timeout=90s")
    for name in names:  # all at once: every surge pod exists at the same time
        container = _deployment(cluster, namespace, name)["spec"]["template"]["spec"]["containers"][0]
        cluster.kubectl("set", "image", f"deployment/{name}", "-n", namespace,
                        f"{container['name']}={container['image']}-surge")
    for name in names:
        result = cluster.kubectl_result("rollout", "status", f"deployment/{name}", "-n", namespace, "--timeout=60s")
        refused = cluster.kubectl_result("get", "events", "-n", namespace, "--field-selector", "reason=FailedCreate",
                                         "-o", "custom-columns=OBJECT:.involvedObject.name,MESSAGE:.message",
                                         "--no-headers")
        if result.returncode != 0 or "exceeded quota" in refused.stdout:
            raise CheckFailed(f"rollout of deployment/{name} at its maximum in {namespace}",
                              "the quota does not leave room for the maximum plus the surge:\n"
                              + refused.stdout.strip() + "\n" + result.stderr.strip())
    return _one_pod_too_many(cluster, namespace)


def _one_pod_too_many(cluster: Cluster, namespace: str) -> str:
    def counted():  # the quota's usage as the controller recounts it after the rollout
        (quota,) = cluster.get_json("resourcequota", "-n", namespace)["items"]
        pods = cluster.get_json("pods", "-n", namespace)["items"]
        return quota if quota.get("status", {}).get("used", {}).get("pods") == str(len(pods)) else None
    quota = _wait(f"the quota controller counting the pods of {namespace}", counted)
    hard, used = quota["status"]["hard"], quota["status"]["used"]
    left = _millicores(hard["requests.cpu"]) - _millicores(used["requests.cpu"])
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "one-pod-too-many", "namespace": namespace},
        "spec": {
            "securityContext": {"runAsNonRoot": True, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": "app", "image": "registry.k8s.io/pause:3.10",
                "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
                "resources": {"requests": {"cpu": f"{left + 1}m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}},
            }],
        },
    }
    result = cluster.kubectl_result("create", "--dry-run=server", "-f", "-", input=json.dumps(pod))
    if result.returncode == 0 or "exceeded quota" not in result.stderr:
        raise CheckFailed(f"ResourceQuota/{quota['metadata']['name']} in {namespace}",
                          f"a pod asking for {left + 1}m CPU more than is left was not refused: "
                          f"{(result.stdout + result.stderr).strip()}")
    return (f"$ kubectl create --dry-run=server -n {namespace} -f -  # a pod requesting {left + 1}m CPU\n"
            + result.stderr.strip())


def _millicores(quantity: str) -> int:
    quantity = str(quantity)
    return int(quantity[:-1]) if quantity.endswith("m") else math.ceil(float(quantity) * 1000)


def limit_range_defaults(cluster: Cluster, namespace: str) -> str:
    """A container that declares no resources gets the LimitRange's defaults."""
    (limit_range,) = cluster.get_json("limitrange", "-n", namespace)["items"]
    (limits,) = [item for item in limit_range["spec"]["limits"] if item["type"] == "Container"]
    pod = {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "no-resources", "namespace": namespace},
        "spec": {
            "securityContext": {"runAsNonRoot": True, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10",
                            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}],
        },
    }
    created = json.loads(cluster.kubectl("create", "--dry-run=server", "-o", "json", "-f", "-", input=json.dumps(pod)))
    resources = created["spec"]["containers"][0]["resources"]
    jsonpath = "jsonpath={.spec.containers[0].resources}"
    answer = cluster.kubectl("create", "--dry-run=server", "-o", jsonpath, "-f", "-", input=json.dumps(pod))
    expected = {"requests": limits.get("defaultRequest", {}), "limits": limits.get("default", {})}
    if resources != expected:
        raise CheckFailed(f"LimitRange/{limit_range['metadata']['name']} in {namespace}",
                          f"a container without resources got {resources}, expected {expected}")
    return (f"$ kubectl create --dry-run=server -n {namespace} -o '{jsonpath}' -f -"
            "  # a pod whose container declares no resources\n" + answer.strip())
