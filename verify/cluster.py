"""A real Kubernetes control plane for the verification run.

etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (which
plays the kubelets of three simulated nodes, one per zone) run on 127.0.0.1
on free ports, with their data, keys and logs under .cache/cluster/. The
binaries are the project's pinned ones in .tools/bin (see the Makefile).

A cluster starts the first time a check asks for it (`get`), so a run whose
records all match starts nothing, and stays up for the rest of the run;
`stop_all` stops every process by its PID, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .kube_versions import KUBERNETES_VERSIONS
from .paths import ROOT, SNIPPETS, TOOLS_BIN, rel
from .process import CheckFailed, run

CLUSTERS = ROOT / ".cache" / "cluster"
PLATFORM = SNIPPETS / "kustomize" / "platform"
ZONES = ("zone-a", "zone-b", "zone-c")
KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node"
# Stages shipped in kwok's module: nodes turn Ready and keep a heartbeat,
# pods become Running and Ready, deleted pods go away.
KWOK_STAGES = ("node/fast", "node/heartbeat", "pod/fast")
STARTUP_TIMEOUT = 90.0
# Secrets the workloads reference but no snippet creates (a real cluster gets
# them from the platform's secret store).
PLATFORM_SECRETS = {"orders-database": {"url": "postgres://orders@postgres:5432/orders"}}


class ClusterError(Exception):
    """The control plane cannot run: says why and what to do."""


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _suffix(minor: str) -> str:
    """Binaries of the newest minor have no suffix; older ones end in -<minor>."""
    return "" if minor == _minor(KUBERNETES_VERSIONS[-1]) else f"-{minor}"


def binary(name: str, minor: str | None = None) -> Path:
    path = TOOLS_BIN / (name + (_suffix(minor) if minor else ""))
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise ClusterError(
            f"{rel(path)} is missing: run `make setup`, which builds the control plane "
            "from the pinned modules in tools/kubernetes*, tools/etcd and tools/kwok "
            "(about 10 minutes the first time)"
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    minor: str  # "1.37"
    root: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    lock: threading.Lock = field(default_factory=threading.Lock)  # one unit at a time
    started_in: float = 0.0
    flux_crds: bool = False  # installed by check_cluster.prove_flux, once

    @property
    def kubeconfig(self) -> Path:
        return self.root / "kubeconfig"

    @property
    def server(self) -> str:
        return f"https://127.0.0.1:{self.ports['apiserver']}"

    def kubectl(self, *args: str, input: str | None = None) -> str:
        return run([str(binary("kubectl")), "--kubeconfig", str(self.kubeconfig), *args], input=input)

    def kubectl_result(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """kubectl whose refusal is the expected answer: the caller reads it."""
        return subprocess.run(
            [str(binary("kubectl")), "--kubeconfig", str(self.kubeconfig), *args],
            input=input, capture_output=True, text=True,
        )

    def get_json(self, *args: str) -> dict:
        return json.loads(self.kubectl("get", *args, "-o", "json"))

    # --- starting ------------------------------------------------------------

    def start(self) -> None:
        started = time.monotonic()
        names = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
        binaries = {n: binary(n, None if n in ("etcd", "kwok") else self.minor) for n in names}
        binary("kubectl")
        if self.root.exists():
            shutil.rmtree(self.root)
        (self.root / "logs").mkdir(parents=True)
        self._write_credentials()
        self.ports = {name: free_port() for name in ("etcd", "etcd-peer", "apiserver")}
        self._start_etcd(binaries["etcd"])
        self._start_apiserver(binaries["kube-apiserver"])
        self._start_controllers(binaries)
        self._create_nodes()
        self._apply_platform()
        self.started_in = time.monotonic() - started

    def _write_credentials(self) -> None:
        # The API server signs service account tokens; the controller manager
        # needs the same key to mint them. Clients use one admin token.
        key = self.root / "service-account.key"
        subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
        subprocess.run(
            ["openssl", "rsa", "-in", str(key), "-pubout", "-out", str(self.root / "service-account.pub")],
            check=True, capture_output=True,
        )
        (self.root / "tokens.csv").write_text(f"{self.token},admin,admin,system:masters\n")

    def _spawn(self, name: str, cmd: list[str]) -> None:
        log = open(self.root / "logs" / f"{name}.log", "wb")
        # Its own session: a Ctrl-C reaches only us, and we stop it by PID in order.
        self.processes[name] = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.root, start_new_session=True,
            env={**os.environ, "XDG_CACHE_HOME": str(self.root / "xdg-cache")},
        )

    def _start_etcd(self, etcd: Path) -> None:
        client = f"http://127.0.0.1:{self.ports['etcd']}"
        peer = f"http://127.0.0.1:{self.ports['etcd-peer']}"
        self._spawn("etcd", [
            str(etcd), "--data-dir", str(self.root / "etcd"), "--name", "verify",
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", f"verify={peer}", "--unsafe-no-fsync",
            "--log-level", "warn",
        ])
        self._wait("etcd", lambda: _http_ok(f"{client}/health"))

    def _start_apiserver(self, apiserver: Path) -> None:
        self._spawn("kube-apiserver", [
            str(apiserver),
            "--etcd-servers", f"http://127.0.0.1:{self.ports['etcd']}",
            "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
            "--secure-port", str(self.ports["apiserver"]),
            "--cert-dir", str(self.root / "certs"),
            "--token-auth-file", str(self.root / "tokens.csv"),
            "--authorization-mode", "RBAC",
            "--service-account-issuer", "https://kubernetes.default.svc",
            "--service-account-key-file", str(self.root / "service-account.pub"),
            "--service-account-signing-key-file", str(self.root / "service-account.key"),
            "--service-cluster-ip-range", "10.96.0.0/16",
            # Otherwise core validation refuses privileged pods before Pod Security sees them.
            "--allow-privileged=true",
            # The admission a real cluster runs (added to the defaults, which include most of them).
            "--enable-admission-plugins",
            "NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,Priority,"
            "DefaultTolerationSeconds,ResourceQuota,ValidatingAdmissionPolicy",
            # A loopback address cannot be published as the kubernetes Service's endpoint.
            "--endpoint-reconciler-type", "none",
        ])
        self.kubeconfig.write_text(json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": "verify",
            # The serving certificate is self-signed by the API server at start
            # on loopback, for this run only.
            "clusters": [{"name": "verify", "cluster": {"server": self.server, "insecure-skip-tls-verify": True}}],
            "users": [{"name": "admin", "user": {"token": self.token}}],
            "contexts": [{"name": "verify", "context": {"cluster": "verify", "user": "admin"}}],
        }))
        self._wait("kube-apiserver", lambda: _http_ok(f"{self.server}/readyz", self.token))

    def _start_controllers(self, binaries: dict[str, Path]) -> None:
        kubeconfig = str(self.kubeconfig)
        self._spawn("kube-controller-manager", [
            str(binaries["kube-controller-manager"]), "--kubeconfig", kubeconfig,
            "--bind-address", "127.0.0.1", "--secure-port", str(free_port()),
            "--leader-elect=false", "--use-service-account-credentials=false",
            "--service-account-private-key-file", str(self.root / "service-account.key"),
            # The HPA acts within a second instead of 15 s (no metrics here: it
            # only holds the replicas between its bounds).
            "--horizontal-pod-autoscaler-sync-period", "1s",
        ])
        self._spawn("kube-scheduler", [
            str(binaries["kube-scheduler"]), "--kubeconfig", kubeconfig,
            "--bind-address", "127.0.0.1", "--secure-port", str(free_port()),
            "--leader-elect=false",
        ])
        stages = self.root / "kwok-stages.yaml"
        stages.write_text(_kwok_stages())
        self._spawn("kwok", [
            str(binaries["kwok"]), "--kubeconfig", kubeconfig, "--config", str(stages),
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector", f"{KWOK_NODE_ANNOTATION}=fake",
            "--node-port", str(free_port()), "--cidr", "10.244.0.0/16", "--node-ip", "127.0.0.1",
        ])
        # The controller manager creates each namespace's default ServiceAccount,
        # without which the ServiceAccount admission plugin refuses every pod.
        self._wait("kube-controller-manager", lambda: self._exists("serviceaccount", "default", "default"))

    def _create_nodes(self) -> None:
        nodes = [_node(f"node-{zone}", zone) for zone in ZONES]
        self.kubectl("apply", "--server-side", "-f", "-", input="\n---\n".join(json.dumps(n) for n in nodes))
        self._wait("kwok", self._nodes_ready)

    def _apply_platform(self) -> None:
        """The platform goes first, for real: namespaces with Pod Security,
        LimitRanges, quotas, PriorityClasses (snippets/kustomize/platform)."""
        manifests = run([str(TOOLS_BIN / "kustomize"), "build", str(PLATFORM)])
        self.kubectl("apply", "--server-side", "--field-manager=verify", "-f", "-", input=manifests)
        namespaces = [o["metadata"]["name"] for o in _objects(manifests) if o["kind"] == "Namespace"]
        for ns in namespaces:
            for name, data in PLATFORM_SECRETS.items():
                self.kubectl("create", "secret", "generic", name, "-n", ns,
                             *[f"--from-literal={k}={v}" for k, v in data.items()])
        for ns in namespaces:
            self._wait("kube-controller-manager", lambda ns=ns: self._exists("serviceaccount", "default", ns))
            # ResourceQuota is enforced only once the controller filled in its status.
            self._wait("kube-controller-manager", lambda ns=ns: self._quotas_counted(ns))

    def _exists(self, kind: str, name: str, namespace: str) -> bool:
        return self.kubectl_result("get", kind, name, "-n", namespace).returncode == 0

    def _nodes_ready(self) -> bool:
        nodes = json.loads(self.kubectl("get", "nodes", "-o", "json"))["items"]
        ready = [n for n in nodes for c in n.get("status", {}).get("conditions", [])
                 if c["type"] == "Ready" and c["status"] == "True"]
        return len(ready) == len(ZONES)

    def _quotas_counted(self, namespace: str) -> bool:
        quotas = self.get_json("resourcequota", "-n", namespace)["items"]
        return all(q.get("status", {}).get("used") is not None for q in quotas)

    def _wait(self, what: str, ready) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise ClusterError(self._died(name, process.returncode))
            try:
                if ready():
                    return
            except (CheckFailed, OSError, json.JSONDecodeError):
                pass
            time.sleep(0.2)
        raise ClusterError(f"{what} did not become ready within {STARTUP_TIMEOUT:.0f}s\n{self._log_tail(what)}")

    def _died(self, name: str, code: int) -> str:
        tail = self._log_tail(name)
        hint = ""
        if "address already in use" in tail:
            hint = ("\nA port it was given was taken by another program between choosing and "
                    f"binding it (ports {self.ports}); run make verify again.")
        elif "permission denied" in tail.lower():
            hint = f"\nIt cannot write {rel(self.root)} or run its binary: check the permissions."
        return f"{name} (Kubernetes {self.minor} control plane) exited with status {code}{hint}\n{tail}"

    def _log_tail(self, name: str, lines: int = 25) -> str:
        path = self.root / "logs" / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"last lines of {rel(path)}:\n" + "\n".join(text.splitlines()[-lines:])

    # --- stopping ------------------------------------------------------------

    def stop(self) -> None:
        """Stop every process this cluster started, by PID, newest first."""
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def _http_ok(url: str, token: str | None = None) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    context = ssl._create_unverified_context() if url.startswith("https") else None
    try:
        with urllib.request.urlopen(request, timeout=2, context=context) as response:
            return response.status == 200
    except OSError:
        return False


def _kwok_stages() -> str:
    module = Path(subprocess.run(
        ["go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/kwok"],
        cwd=ROOT / "tools" / "kwok", capture_output=True, text=True, check=True,
    ).stdout.strip())
    files = sorted(
        p for stage in KWOK_STAGES for p in (module / "kustomize" / "stage" / stage).glob("*.yaml")
        if p.name != "kustomization.yaml"
    )
    if not files:
        raise ClusterError(f"kwok's stage files are missing from {module}: run `make setup`")
    return "\n---\n".join(p.read_text() for p in files)


def _node(name: str, zone: str) -> dict:
    capacity = {"cpu": "32", "memory": "128Gi", "pods": "110", "ephemeral-storage": "100Gi"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {KWOK_NODE_ANNOTATION: "fake"},
            "labels": {
                "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64", "type": "kwok",
                "topology.kubernetes.io/zone": zone,
            },
        },
        "status": {"capacity": capacity, "allocatable": capacity},
    }


def _objects(manifests: str) -> list[dict]:
    import yaml

    return [o for o in yaml.safe_load_all(manifests) if o]


# --- one cluster per supported minor, for the whole run ------------------------

_clusters: dict[str, Cluster] = {}
_failed: dict[str, str] = {}
_start_times: dict[str, float] = {}
_guard = threading.Lock()


def get(version: str) -> Cluster:
    """The running cluster of this Kubernetes version. The first call starts
    one for every supported version side by side: every unit needs them all."""
    minor = _minor(version)
    with _guard:
        if minor not in _clusters and minor not in _failed:
            _install_stoppers()
            wanted = [m for m in dict.fromkeys([minor, *map(_minor, KUBERNETES_VERSIONS)])
                      if m not in _clusters and m not in _failed]
            for m in wanted:
                _clusters[m] = Cluster(m, CLUSTERS / f"{m}-{os.getpid()}")
            threads = [threading.Thread(target=_start, args=(m,)) for m in wanted]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if minor in _failed:
            raise ClusterError(_failed[minor])
        return _clusters[minor]


def _start(minor: str) -> None:
    cluster = _clusters[minor]
    try:
        cluster.start()
        _start_times[minor] = cluster.started_in
    except (ClusterError, CheckFailed, subprocess.CalledProcessError, OSError) as error:
        cluster.stop()
        del _clusters[minor]
        message = str(error) if isinstance(error, ClusterError) else f"{error}: {getattr(error, 'output', '')}"
        _failed[minor] = f"the Kubernetes {minor} control plane did not start: {message}"


def started() -> dict[str, float]:
    """Minor -> seconds its start took, for the clusters this run started."""
    return dict(_start_times)


def stop_all() -> None:
    with _guard:
        for cluster in _clusters.values():
            cluster.stop()
        _clusters.clear()


_stoppers_installed = False


def _install_stoppers() -> None:
    global _stoppers_installed
    if not _stoppers_installed:
        _stoppers_installed = True
        atexit.register(stop_all)


def stop_on_signals() -> None:
    """From the main thread: SIGTERM and SIGHUP stop the clusters like Ctrl-C
    (KeyboardInterrupt) and exit; checks run in worker threads, which cannot
    install handlers."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)


def _on_signal(signum, frame):
    stop_all()
    raise SystemExit(128 + signum)
