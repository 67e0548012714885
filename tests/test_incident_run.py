"""The incident run refuses a broken set-up with what to do about it, fails a
step that does not happen with what it saw, and leaves no process behind:
not after a failure, not after Ctrl-C. (The full run itself is the unit
incident:payment-outage, which make verify runs before these tests.)"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from processes import alive, as_from_a_terminal, processes_mentioning, still_alive
from verify.incident import prometheus, scenario, system
from verify.incident.otlp import decode

ROOT = Path(__file__).resolve().parent.parent


def test_missing_nats_server_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(system, "TOOLS_BIN", tmp_path)
    with pytest.raises(system.SystemError, match=r"nats-server is missing: run `make setup`"):
        system.tool("nats-server")


def test_missing_postgresql_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(system, "POSTGRES_BIN", tmp_path)
    version = (ROOT / "tools" / "postgresql.version").read_text().strip()
    with pytest.raises(system.SystemError, match=re.escape(f"install Debian's postgresql-15={version}")):
        system.System(tmp_path / "run").start_postgres()


def test_a_port_in_use_fails_naming_the_process_and_the_cause(tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    run = system.System(tmp_path / "run")
    run.ports["nats"] = busy.getsockname()[1]
    try:
        with pytest.raises(system.SystemError) as error:
            run.start_nats()
        message = str(error.value)
        assert "nats exited with status" in message
        assert "address already in use" in message.lower()
        assert "taken by another program" in message
        pids = list(run.pids().values())
    finally:
        run.stop()
        busy.close()
    assert pids and not [pid for pid in pids if alive(pid)]


class _NeverHappens(scenario.Incident):
    """The real system, then a step whose event never comes."""

    def run(self):
        system.register(self.system)
        try:
            self.start()
            self.pids = self.system.pids()
            self.until("an alert nobody defined fires", 2,
                       lambda: self.alert("NoSuchAlert", "firing") or scenario.Seen(self.api.alerts()))
        finally:
            self.stop()


@pytest.mark.slow
def test_a_step_that_does_not_happen_fails_with_what_was_seen_and_stops_everything(tmp_path):
    incident = _NeverHappens(tmp_path / "run")
    with pytest.raises(scenario.StepFailed) as failure:
        incident.run()
    message = str(failure.value)
    assert "an alert nobody defined fires: did not happen within 2s; last seen:" in message
    assert len(incident.pids) == 5  # postgres, nats, orders, worker, prometheus
    assert not [name for name, pid in incident.pids.items() if alive(pid)]
    assert not processes_mentioning(str(tmp_path / "run"))


@pytest.mark.slow
def test_ctrl_c_stops_every_process_of_the_run():
    run = subprocess.Popen([sys.executable, "-m", "verify.incident"], cwd=ROOT, preexec_fn=as_from_a_terminal,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids, seen = [], []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = run.stdout.readline()
        if not line:
            break
        seen.append(line)
        if "system up in" in line:
            pids = [int(part.split(")")[0]) for part in line.split("(pid ")[1:]]
            break
    assert len(pids) == 5, "".join(seen) + run.stderr.read()
    assert all(alive(pid) for pid in pids)
    run.send_signal(signal.SIGINT)
    run.wait(timeout=60)
    assert run.returncode != 0
    assert not still_alive(pids)
    assert not processes_mentioning(str(scenario.RUNS / f"run-{run.pid}-"))


def test_alert_timings_are_shortened_and_every_change_is_listed(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.rules.yaml").write_text(
        "groups:\n- name: g\n  interval: 30s\n  rules:\n"
        "  - alert: Slow\n    expr: up == 0\n    for: 10m\n"
        "  - alert: Quick\n    expr: up == 0\n    for: 2s\n"
        "  - record: job:up:sum\n    expr: sum(up)\n")
    monkeypatch.setattr(prometheus, "RULES", rules)
    written, changes = prometheus.shortened_rules(tmp_path / "out")
    assert changes == ["x.rules.yaml: group g: interval 30s -> 1s",
                       "x.rules.yaml: Slow: for 10m -> 5s"]
    text = written[0].read_text()
    assert "for: 5s" in text and "for: 2s" in text and "interval" not in text
    promtool = ROOT / ".tools" / "bin" / "promtool"
    check = subprocess.run([str(promtool), "check", "rules", str(written[0])], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_trace_receiver_decodes_what_the_sdk_sends():
    """An ExportTraceServiceRequest, written by hand in protobuf's wire format:
    one resource (service.name=worker) with one client span."""
    def field(number: int, payload: bytes) -> bytes:
        return bytes([number << 3 | 2, len(payload)]) + payload

    value = field(1, b"worker")
    attribute = field(1, b"service.name") + field(2, value)
    resource = field(1, attribute)
    span = (field(1, bytes(range(16))) + field(2, bytes(range(8))) + field(4, bytes(range(8, 16)))
            + field(5, b"POST /charges") + bytes([6 << 3, 3]) + field(15, bytes([3 << 3, 2])))
    request = field(1, field(1, resource) + field(2, field(2, span)))
    (decoded,) = decode(request)
    assert decoded.service == "worker"
    assert decoded.trace_id == bytes(range(16)).hex()
    assert decoded.parent_id == bytes(range(8, 16)).hex()
    assert (decoded.name, decoded.kind, decoded.status) == ("POST /charges", "client", "error")


def test_the_nats_server_run_is_the_release_the_go_module_tests_against():
    def required(go_mod: Path) -> str:
        for line in go_mod.read_text().splitlines():
            parts = line.split()
            if "github.com/nats-io/nats-server/v2" in parts and parts[0] != "tool":
                return parts[parts.index("github.com/nats-io/nats-server/v2") + 1]
        raise AssertionError(f"{go_mod} does not require nats-server")
    assert required(ROOT / "tools" / "nats-server" / "go.mod") == required(ROOT / "snippets" / "go" / "go.mod")


def test_a_run_that_cannot_start_stops_what_it_had_started(tmp_path, monkeypatch):
    """The provider and trace receiver are in the run's own process: a run
    that fails before they serve must still stop, not hang."""
    monkeypatch.setattr(system, "TOOLS_BIN", tmp_path)  # no nats-server: refused before anything runs
    incident = scenario.Incident(tmp_path / "run")
    started = time.monotonic()
    with pytest.raises(system.SystemError, match="nats-server is missing"):
        incident.run()
    assert time.monotonic() - started < 10
