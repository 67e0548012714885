"""The verification cluster starts only when needed, fails with a reason,
and leaves no process behind, also after Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from processes import alive, as_from_a_terminal, still_alive
from verify import cluster

ROOT = Path(__file__).resolve().parent.parent


def test_missing_binary_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "TOOLS_BIN", tmp_path)
    with pytest.raises(cluster.ClusterError, match=r"kube-apiserver-1\.36 is missing: run `make setup`"):
        cluster.binary("kube-apiserver", "1.36")


def test_busy_port_fails_naming_the_process_and_the_cause(tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    c = cluster.Cluster("1.37", tmp_path / "c")
    (c.root / "logs").mkdir(parents=True)
    c.ports = {"etcd": busy.getsockname()[1], "etcd-peer": cluster.free_port(), "apiserver": cluster.free_port()}
    try:
        with pytest.raises(cluster.ClusterError) as error:
            c._start_etcd(cluster.binary("etcd"))
        assert "etcd (Kubernetes 1.37 control plane) exited" in str(error.value)
        assert "address already in use" in str(error.value)
        assert "taken by another program" in str(error.value)
    finally:
        c.stop()
        busy.close()


@pytest.mark.slow
def test_ctrl_c_stops_every_process_of_the_cluster(tmp_path):
    script = (
        "import sys, time\n"
        "from verify import cluster\n"
        "c = cluster.get('1.37.0')\n"
        "print(' '.join(str(p.pid) for p in c.processes.values()), flush=True)\n"
        "time.sleep(120)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, preexec_fn=as_from_a_terminal,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = run.stdout.readline()
    pids = [int(p) for p in line.split()]
    assert len(pids) == 5, run.stderr.read() if not pids else line
    assert all(alive(pid) for pid in pids)
    run.send_signal(signal.SIGINT)
    run.wait(timeout=60)
    assert not still_alive(pids)
    assert not list((ROOT / ".cache" / "cluster").glob(f"1.37-{run.pid}"))


def test_a_warm_verification_starts_no_cluster():
    """make test runs make verify first, so every record matches here."""
    result = subprocess.run([sys.executable, "-m", "verify"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "control plane started" not in result.stdout
    assert " failed" in result.stdout and ", 0 failed" in result.stdout
