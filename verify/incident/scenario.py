"""The payment outage, run for real: orders come in, the payment provider
first fails two calls of three, then every call, and the run records what
an on-call engineer sees, step by step, until the provider is back and the
alert has resolved.

Each step waits for what it records, up to its deadline; a step that does
not happen in time fails the run with what it saw instead. The outputs are
the texts the incident walkthrough page shows (macros: incident_output).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ROOT
from . import jetstream, prometheus
from .otlp import Receiver
from .provider import DEGRADED, DOWN, HEALTHY, Provider
from .system import System, SystemError, free_port, register, tool, unregister

RUNS = ROOT / ".cache" / "incident"
DEAD_LETTERS = "ORDERS_DEAD"
BREAKER_ALERT = "PaymentCircuitBreakerOpen"
DEAD_LETTER_ALERT = "OrdersDeadLettered"

# The worker's production timings (snippets/go/cmd/worker) are minutes: six
# tries over about three minutes, a breaker open for 30 s. The run shortens
# them with the worker's own flags, so the outage plays out in seconds; the
# page lists them from the record (output "shortened").
WORKER_FLAGS = {
    "-max-deliver": "3",
    "-retry-backoff": "200ms,400ms,800ms",
    "-breaker-open-for": "2s",
}
# Spans leave the programs in batches every 5 s by default; the run waits
# for them, so it asks for half a second.
OTEL_BATCH_DELAY_MS = "500"
# Orders a second while the provider is degraded (enough for dead letters
# within seconds) and while it is down (few enough that the consumer's
# backlog stays under its alert's threshold, as it would in a minute at night).
ORDERS_PER_SECOND = {DEGRADED: 4, DOWN: 1}
MAX_ORDERS = 400  # the run's own traffic is bounded, whatever happens


class StepFailed(Exception):
    """A step did not happen within its deadline; says what was seen."""


@dataclass
class Outputs:
    started: float = field(default_factory=time.monotonic)
    timeline: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    echo: bool = False  # print each timeline line as it happens (make incident)

    def note(self, line: str) -> None:
        entry = f"+{time.monotonic() - self.started:5.1f}s  {line}"
        self.timeline.append(entry)
        if self.echo:
            print(entry, flush=True)

    def record(self, key: str, text: str) -> None:
        self.texts[key] = text.rstrip("\n")


class Incident:
    """One run of the scenario on a system of its own."""

    def __init__(self, root: Path, echo: bool = False) -> None:
        self.root = root
        self.system = System(root)
        self.provider = Provider()
        self.traces = Receiver()
        self.out = Outputs(echo=echo)
        self.orders: dict[str, dict] = {}  # order id -> the API's answer
        self._feeding = threading.Event()
        self._feeder: threading.Thread | None = None
        self.orders_url = self.nats_url = ""
        self.api: prometheus.API | None = None

    # --- the run --------------------------------------------------------------

    def run(self) -> dict[str, str]:
        register(self.system)
        try:
            binaries = self.start()
            self.healthy_traffic()
            self.provider_degrades()
            self.dead_letters()
            self.follow_one_failed_order()
            self.provider_goes_down()
            self.breaker_opens()
            self.alert_fires()
            self.provider_recovers()
            self.nothing_lost()
            self.replay_dead_letters(binaries)
            self.out.record("timeline", "\n".join(self.out.timeline))
        finally:
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)  # passed: nothing to look into
        return self.out.texts

    def stop(self) -> None:
        self._feeding.clear()
        self.system.stop()
        if self._feeder:
            self._feeder.join(timeout=5)
        self.provider.stop()
        self.traces.stop()
        unregister(self.system)

    # --- steps ----------------------------------------------------------------

    def start(self) -> None:
        tool("nats-server"), tool("prometheus")  # fail before building anything
        binaries = self.system.build()
        self.provider.start()
        self.traces.start()
        database = self.system.start_postgres()
        self.nats_url = self.system.start_nats()
        telemetry = {"OTEL_EXPORTER_OTLP_ENDPOINT": self.traces.url,
                     "OTEL_BSP_SCHEDULE_DELAY": OTEL_BATCH_DELAY_MS}
        orders_port, worker_port = free_port(), free_port()
        self.system.start_service("orders", [str(binaries["orders"])], {
            "ADDR": f"127.0.0.1:{orders_port}", "NATS_URL": self.nats_url,
            "DATABASE_URL": database, **telemetry}, orders_port)
        self.orders_url = f"http://127.0.0.1:{orders_port}"
        flags = [part for pair in WORKER_FLAGS.items() for part in pair]
        self.system.start_service("worker", [
            str(binaries["worker"]), "-nats", self.nats_url, "-addr", f"127.0.0.1:{worker_port}",
            "-payment-url", self.provider.url, *flags], telemetry, worker_port)
        rules, changes = prometheus.shortened_rules(self.root / "rules")
        config = self.root / "prometheus.yml"
        config.write_text(prometheus.config(rules, {"orders": orders_port, "worker": worker_port}))
        self.api = prometheus.API(self.system.start_prometheus(config))
        self.until("Prometheus scrapes both programs", 30,
                   lambda: (t := self.api.targets_up()) == {"orders": "up", "worker": "up"} or Seen(t))
        self.out.record("shortened", "\n".join(
            [f"worker {flag} {value}" for flag, value in WORKER_FLAGS.items()]
            + [f"prometheus scrape_interval {prometheus.SCRAPE_INTERVAL}, "
               f"evaluation_interval {prometheus.EVALUATION_INTERVAL}"]
            + changes
            + [f"OTEL_BSP_SCHEDULE_DELAY={OTEL_BATCH_DELAY_MS} (ms)"]))
        took = time.monotonic() - self.out.started
        self.out.started = time.monotonic()  # the timeline starts with a running system
        self.out.note(f"system up in {took:.0f}s (build included): " + ", ".join(
            f"{name} (pid {pid})" for name, pid in self.system.pids().items()))
        return binaries

    def healthy_traffic(self) -> None:
        placed = [self.place_order() for _ in range(5)]
        self.until("the worker charges the first orders", 30,
                   lambda: (ok := {c.order_id for c in self.provider.received() if c.status == 200})
                   >= set(placed) or Seen(f"charged so far: {len(ok)} of {len(placed)}"))
        self.until("Prometheus has counted the charges", 20,
                   lambda: self.value('sum(orders_events_handled_total{outcome="charged"})') >= len(placed)
                   or Seen(self.api.query('orders_events_handled_total')))
        self.out.note(f"{len(placed)} orders placed and charged; provider healthy")

    def provider_degrades(self) -> None:
        self.provider.mode = DEGRADED
        self.out.note("payment provider degrades: 503 Service Unavailable to two calls of three")
        self._feeding.set()
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def provider_goes_down(self) -> None:
        self.provider.mode = DOWN
        self.out.note("payment provider goes down: 503 Service Unavailable to every call")

    def breaker_opens(self) -> None:
        line = self.until("the worker logs the breaker opening", 60,
                          lambda: self.log_line("worker", lambda e: e.get("msg") == "payment circuit breaker"
                                                and e.get("to") == "open") or self.last_lines("worker"))
        self.out.record("breaker-log", line)
        self.out.note("worker log: payment circuit breaker closed -> open")
        expr = "payment_circuit_breaker_state"
        self.until("Prometheus sees the breaker open", 20,
                   lambda: self.value(f'{expr}{{state="open"}}') == 1 or Seen(self.api.query(expr)))
        self.out.record("breaker-metric", _format_vector(self.api.query(expr)))
        self.out.note(f'Prometheus: {expr}{{state="open"}} == 1')

    def alert_fires(self) -> None:
        # Its rule asks whether the breaker was closed at any scrape in the
        # last minute (a window, not shortened): a minute after it opened.
        pending = self.until(f"{BREAKER_ALERT} goes pending", 120,
                             lambda: self.alert(BREAKER_ALERT, "pending") or Seen(self.api.alerts()))
        self.out.record("alert-pending", _format_alert(pending))
        self.out.note(f"alert {BREAKER_ALERT}: pending (active since {pending['activeAt']})")
        firing = self.until(f"{BREAKER_ALERT} fires", 60,
                            lambda: self.alert(BREAKER_ALERT, "firing") or Seen(self.api.alerts(BREAKER_ALERT)))
        self.out.record("alert-firing", _format_alert(firing))
        self.out.note(f"alert {BREAKER_ALERT}: firing")
        # The whole alerts page when the page goes out: what else is active.
        self.out.record("alerts-active", "\n".join(
            f"{a['labels'].get('alertname')}  {a['state']}  severity={a['labels'].get('severity', '-')}"
            f"  since {a['activeAt']}"
            for a in sorted(self.api.alerts(), key=lambda a: (a['activeAt'], a['labels'].get('alertname', '')))))

    def dead_letters(self) -> None:
        counter = 'sum(orders_events_handled_total{outcome="dead_lettered"})'
        self.until("an event is dead-lettered", 60,
                   lambda: jetstream.stream_messages(self.nats_url, DEAD_LETTERS) >= 1
                   and self.value(counter) >= 1 or Seen(self.api.query(counter)))
        stored = jetstream.stream_messages(self.nats_url, DEAD_LETTERS)
        counted = self.api.query('orders_events_handled_total{outcome="dead_lettered"}')
        alert = self.until(f"{DEAD_LETTER_ALERT} fires", 60,
                           lambda: self.alert(DEAD_LETTER_ALERT, "firing") or Seen(self.api.alerts()))
        self.out.record("dead-letters", "\n".join([
            f"JetStream stream {DEAD_LETTERS}: {stored} message(s)",
            _format_vector(counted),
            f"alert {DEAD_LETTER_ALERT}: {alert['state']}",
        ]))
        self.out.note(f"{stored} event(s) in {DEAD_LETTERS}; alert {DEAD_LETTER_ALERT} {alert['state']}")


    def follow_one_failed_order(self) -> None:
        dead = jetstream.get_message(self.nats_url, DEAD_LETTERS, 1)
        event = json.loads(dead.data)
        traceparent = dead.headers.get("traceparent", "")
        if traceparent.count("-") != 3:
            raise StepFailed(f"the dead letter carries no traceparent header: {dead.headers}")
        trace_id = traceparent.split("-")[1]
        order_id = event["order_id"]
        self.out.record("dead-letter-message", "\n".join(
            [f"{DEAD_LETTERS} #{dead.sequence}  subject {dead.subject}  stored {dead.time}"]
            + [f"{key}: {value}" for key, value in sorted(dead.headers.items())]
            + ["", json.dumps(event, indent=2)]))
        self.out.note(f"dead letter #1: order {order_id}, trace {trace_id}")

        access = self.until("the access log line of the order's request", 10, lambda: self.log_line(
            "orders", lambda e: e.get("trace_id") == trace_id and e.get("msg") == "request done")
            or self.last_lines("orders"))
        created = self.log_line("orders", lambda e: e.get("trace_id") == trace_id
                                and e.get("msg") == "order created")
        worker = self.until("the worker's log lines of the order", 10, lambda: (
            lines := self.log_lines("worker", lambda e: e.get("trace_id") == trace_id))
            and any('"event dead-lettered"' in line for line in lines) and lines
            or self.last_lines("worker"))
        self.out.record("trace-logs", "\n".join(
            ["# orders"] + [line for line in (created, access) if line] + ["# worker"] + worker))

        calls = [c for c in self.provider.received() if c.order_id == order_id]
        if not calls:
            raise StepFailed(f"the provider never received a charge for order {order_id}")
        foreign = [c.traceparent for c in calls if c.traceparent.split("-")[1:2] != [trace_id]]
        if foreign:
            raise StepFailed(f"charges for order {order_id} came with another trace: {foreign}")
        self.out.record("provider-traceparent", "\n".join(
            f"+{c.at - self.out.started:5.1f}s  POST /charges  Idempotency-Key: {c.order_id}  "
            f"traceparent: {c.traceparent}  -> {c.status}" for c in calls))

        def whole_trace():
            spans = self.traces.trace(trace_id)
            services = {s.service for s in spans}
            if {"orders", "worker"} <= services and any(s.kind == "client" and s.service == "worker"
                                                        for s in spans):
                return spans
            return Seen(f"spans so far: {[(s.service, s.name) for s in spans]}")
        spans = self.until("the order's spans reach the trace receiver", 15, whole_trace)
        # Each traceparent the provider received names a client span of the
        # worker as its parent: the call is in the trace, not beside it.
        clients = {s.span_id for s in spans if s.kind == "client" and s.service == "worker"}
        strays = [c.traceparent for c in calls if c.traceparent.split("-")[2] not in clients]
        if strays:
            raise StepFailed(f"traceparents the provider received name no client span of the trace: "
                             f"{strays}\n{_format_trace(spans)}")
        self.out.record("trace-spans", _format_trace(spans))
        self.out.note(f"trace {trace_id}: {len(spans)} spans from "
                      + ", ".join(sorted({s.service for s in spans})))

    def provider_recovers(self) -> None:
        self.provider.mode = HEALTHY
        self.out.note("payment provider recovers: 200 to every call")
        line = self.until("the worker logs the breaker closing", 60,
                          lambda: self.log_line("worker", lambda e: e.get("msg") == "payment circuit breaker"
                                                and e.get("to") == "closed") or self.last_lines("worker"))
        self.out.record("breaker-closed-log", line)
        self.out.note("worker log: payment circuit breaker half-open -> closed")
        self._feeding.clear()

        def resolved():
            rule = self.api.rule(BREAKER_ALERT)
            if rule and rule["state"] == "inactive" and not self.api.alerts(BREAKER_ALERT):
                return rule
            return Seen(rule)
        rule = self.until(f"{BREAKER_ALERT} resolves", 60, resolved)
        self.out.record("alert-resolved", f"alert {BREAKER_ALERT}: state {rule['state']}, "
                        f"health {rule['health']}, active alerts: {len(rule.get('alerts') or [])}\n"
                        + _format_vector(self.api.query("payment_circuit_breaker_state")))
        self.out.note(f"alert {BREAKER_ALERT}: resolved")

    def nothing_lost(self) -> None:
        """Every accepted order ends charged or in the dead-letter stream."""
        if self._feeder:
            self._feeder.join(timeout=10)  # the count of orders is final
        def settled():
            charged = {c.order_id for c in self.provider.received() if c.status == 200}
            dead = jetstream.stream_messages(self.nats_url, DEAD_LETTERS)
            if len(charged) + dead >= len(self.orders) and charged <= set(self.orders):
                return charged, dead
            return Seen(f"{len(self.orders)} orders, {len(charged)} charged, {dead} dead-lettered")
        charged, dead = self.until("every order is charged or dead-lettered", 60, settled)
        self.out.record("settled", f"{len(self.orders)} orders accepted: {len(charged)} charged, "
                        f"{dead} in {DEAD_LETTERS}, 0 lost")
        self.out.note(f"{len(self.orders)} orders: {len(charged)} charged, {dead} dead-lettered, none lost")

    def replay_dead_letters(self, binaries: dict[str, Path]) -> None:
        """What the runbook says to do once the provider is healthy: list the
        dead letters, replay them, and see every one of those orders charged."""
        dead = {json.loads(jetstream.get_message(self.nats_url, DEAD_LETTERS, seq).data)["order_id"]
                for seq in self.dead_sequences()}
        listed = self.deadletters(binaries["deadletters"])
        if not all(order_id in listed for order_id in dead) or len(listed.splitlines()) != len(dead) + 1:
            raise StepFailed(f"deadletters lists other dead letters than {sorted(dead)}:\n{listed}")
        self.out.record("deadletters-list", f"$ deadletters -nats {self.nats_url}\n" + listed)
        replayed = self.deadletters(binaries["deadletters"], "-replay", "all")
        self.out.record("deadletters-replay", f"$ deadletters -nats {self.nats_url} -replay all\n" + replayed)
        self.out.note(f"{len(dead)} dead letter(s) replayed with deadletters -replay all")

        def all_charged():
            charged = {c.order_id for c in self.provider.received() if c.status == 200}
            left = jetstream.stream_messages(self.nats_url, DEAD_LETTERS)
            if dead <= charged and set(self.orders) <= charged and left == 0:
                return charged
            return Seen(f"not charged yet: {sorted(dead - charged)}; {left} left in {DEAD_LETTERS}")
        charged = self.until("the replayed orders are charged", 30, all_charged)
        self.out.record("replayed-charged", f"{len(self.orders)} orders accepted: {len(charged)} charged, "
                        f"0 in {DEAD_LETTERS}")
        self.out.note(f"every order charged: {len(charged)} of {len(self.orders)}")

    def dead_sequences(self) -> list[int]:
        info = jetstream.request(self.nats_url, f"$JS.API.STREAM.INFO.{DEAD_LETTERS}", {})
        state = info["state"]
        deleted = set(state.get("deleted") or [])
        return [seq for seq in range(state["first_seq"], state["last_seq"] + 1) if seq not in deleted] \
            if state["messages"] else []

    def deadletters(self, binary: Path, *args: str) -> str:
        result = subprocess.run([str(binary), "-nats", self.nats_url, *args],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise StepFailed(f"deadletters {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}{result.stderr}")
        return result.stdout.rstrip("\n")

    # --- helpers --------------------------------------------------------------

    def until(self, what: str, deadline: float, probe):
        """Wait for probe() to return a true value that is not True-ish
        evidence of failure: probes return the wanted value, or what they
        saw instead (kept for the failure message)."""
        end = time.monotonic() + deadline
        seen = None
        while True:
            self.system.check_alive()
            try:
                result = probe()
            except (OSError, jetstream.JetStreamError, RuntimeError, ValueError) as error:
                result, seen = None, f"{type(error).__name__}: {error}"
            else:
                if _wanted(result):
                    return result
                seen = result.what if isinstance(result, Seen) else result
            if time.monotonic() >= end:
                raise StepFailed(f"{what}: did not happen within {deadline:.0f}s; last seen:\n"
                                 f"{_shown(seen)}")
            self.system.sleep(0.2)

    def value(self, expr: str) -> float:
        result = self.api.query(expr)
        return float(result[0]["value"][1]) if result else float("nan")

    def alert(self, name: str, state: str | None = None) -> dict | None:
        for alert in self.api.alerts(name):
            if state is None or alert["state"] == state:
                return alert
        return None

    def place_order(self) -> str:
        body = json.dumps({"customer_id": "c-incident",
                           "items": [{"sku": "book-1", "quantity": 1, "price_cents": 24900}]}).encode()
        key = f"incident-{len(self.orders) + 1}"
        request = urllib.request.Request(f"{self.orders_url}/orders", data=body, method="POST", headers={
            "Content-Type": "application/json", "Idempotency-Key": key})
        with urllib.request.urlopen(request, timeout=5) as response:
            answer = json.load(response)
        self.orders[answer["id"]] = answer
        return answer["id"]

    def _feed(self) -> None:
        while self._feeding.is_set() and len(self.orders) < MAX_ORDERS:
            try:
                self.place_order()
            except (OSError, urllib.error.URLError):
                pass  # the system is stopping; the step that waits reports it
            time.sleep(1 / ORDERS_PER_SECOND.get(self.provider.mode, 1))

    def log_lines(self, name: str, match) -> list[str]:
        found = []
        for line in self.system.processes[name].lines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and match(entry):
                found.append(line)
        return found

    def log_line(self, name: str, match) -> str | None:
        lines = self.log_lines(name, match)
        return lines[0] if lines else None

    def last_lines(self, name: str, count: int = 8) -> "Seen":
        return Seen("\n".join(self.system.processes[name].lines()[-count:]))


class Seen:
    """What a probe saw instead of what it waited for."""

    def __init__(self, what) -> None:
        self.what = what


def _wanted(result) -> bool:
    return not isinstance(result, Seen) and result is not None and result is not False


def _shown(seen) -> str:
    if isinstance(seen, (dict, list)):
        return json.dumps(seen, indent=1)[:3000]
    return str(seen)[:3000]


def _format_vector(result: list[dict]) -> str:
    lines = []
    for sample in sorted(result, key=lambda s: json.dumps(s["metric"], sort_keys=True)):
        metric = dict(sample["metric"])
        name = metric.pop("__name__", "")
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(metric.items()))
        lines.append(f"{name}{{{labels}}} {sample['value'][1]}")
    return "\n".join(lines) or "(no samples)"


def _format_alert(alert: dict) -> str:
    shown = {key: alert[key] for key in ("labels", "annotations", "state", "activeAt", "value") if key in alert}
    return json.dumps(shown, indent=2, ensure_ascii=False)


def _format_trace(spans) -> str:
    by_id = {s.span_id: s for s in spans}
    children: dict[str, list] = {}
    for s in spans:
        parent = s.parent_id if s.parent_id in by_id else ""
        children.setdefault(parent, []).append(s)
    lines = [f"trace {spans[0].trace_id}"]

    def walk(parent: str, depth: int) -> None:
        for s in children.get(parent, []):
            status = "" if s.status == "unset" else f"  [{s.status}]"
            lines.append(f"{'  ' * depth}{s.service}: {s.name} ({s.kind}){status}")
            walk(s.span_id, depth + 1)
    walk("", 1)
    return "\n".join(lines)


def new_run_folder() -> Path:
    """A folder for one run; a failed run's folder stays, with its logs,
    until a later run finds its process gone."""
    for old in RUNS.glob("run-*"):
        try:
            os.kill(int(old.name.split("-")[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            pass
    folder = RUNS / f"run-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def versions() -> dict[str, str]:
    """The versions of the servers the run starts (Go is in the record too)."""
    def first_line(cmd: list[str]) -> str:
        result = subprocess.run(cmd, capture_output=True, text=True)
        return (result.stdout or result.stderr).strip().splitlines()[0] if result.returncode == 0 else "?"
    return {
        "nats-server": first_line([str(tool("nats-server")), "--version"]).split()[-1].removeprefix("v"),
        "Prometheus": first_line([str(tool("prometheus")), "--version"]).split()[2],
        # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        "PostgreSQL": first_line(["/usr/lib/postgresql/15/bin/postgres", "--version"]).split()[2],
    }


__all__ = ["Incident", "StepFailed", "SystemError", "new_run_folder", "versions"]
