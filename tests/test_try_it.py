"""The "Try it" section of the Go page, run as a reader would run it: the
worker with its embedded NATS server, the order API, one order over HTTP,
the worker charging it, and both programs stopping cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from site_server import ROOT, free_port

MODULE = ROOT / "snippets" / "go"
PAGES = [ROOT / "docs" / lang / "varfor-go.md" for lang in ("sv", "en")]
KEY = "5f1c9a2e-0b7d-4e21"
ORDER = {"customer_id": "c-42", "items": [{"sku": "BOOK-1", "quantity": 2, "price_cents": 1500}]}
# What the page tells the reader to type; the test runs the same programs with the same flags.
# Each command is a block of its own (commands only, so a copied block runs),
# its output in another.
PAGE_COMMANDS = [
    "```bash\ncd snippets/go\ngo run ./cmd/worker -embedded\n```",
    "```bash\ncd snippets/go\ngo run ./cmd/orders\n```",
    "```bash\ncurl -i -X POST localhost:8080/orders \\\n    -H 'Idempotency-Key: " + KEY + "' \\\n    -d '" + json.dumps(ORDER, separators=(",", ":")) + "'\n```",
    "```bash\ncd snippets/go\ngo run ./cmd/worker\n```",
    "worker: cannot connect to NATS at nats://127.0.0.1:4222",
]


@pytest.fixture(scope="module")
def programs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("bin")
    built = {}
    for name in ("orders", "worker"):
        built[name] = out / name
        result = subprocess.run(["go", "build", "-o", str(built[name]), f"./cmd/{name}"],
                                cwd=MODULE, capture_output=True, text=True)
        assert result.returncode == 0, f"go build ./cmd/{name} failed:\n{result.stderr}"
    return built


class Program:
    """A started program whose combined output is collected as it runs."""

    def __init__(self, args: list, env: dict):
        self.name = Path(args[0]).name
        self.process = subprocess.Popen(args, env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_for(self, condition, what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.log}"
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: {what} did not happen within {timeout} s:\n{self.log}")

    def wait_for_200(self, url: str) -> None:
        self.wait_for(lambda: answers_200(url), f"{url} answering 200")

    def stop(self) -> None:
        """SIGTERM, as Kubernetes sends it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


def nats_port_is_free() -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", 4222)) != 0


def charges(log: str) -> list[tuple[str, int]]:
    """The worker logs JSON lines; these are the orders it charged."""
    return [(entry["order_id"], entry["amount_cents"])
            for entry in map(json.loads, filter(lambda line: line.startswith("{"), log.splitlines()))
            if entry.get("msg") == "order charged"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.name)
def test_page_shows_the_commands_this_test_runs(page):
    text = page.read_text(encoding="utf-8")
    for command in PAGE_COMMANDS:
        assert command in text, f"{page.relative_to(ROOT)}: the Try it section no longer has {command!r}"


# One test, because both halves need 127.0.0.1:4222: the embedded NATS server's
# fixed address, which the page tells readers about.
def test_try_it_from_the_page(programs):
    assert nats_port_is_free(), "127.0.0.1:4222 is taken: stop the NATS server there, the test needs the port"

    # Without NATS the worker refuses to start, and says what to do.
    env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "ADDR")}
    result = subprocess.run([programs["worker"]], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1, result.stderr
    assert "worker: cannot connect to NATS at nats://127.0.0.1:4222" in result.stderr
    assert "-embedded" in result.stderr

    # With -embedded, an order placed over HTTP is charged by the worker.
    worker_probes, api = free_port(), free_port()
    worker = Program([programs["worker"], "-embedded", "-addr", f"127.0.0.1:{worker_probes}"], env)
    orders = Program([programs["orders"]], {**env, "ADDR": f"127.0.0.1:{api}"})
    try:
        worker.wait_for_200(f"http://127.0.0.1:{worker_probes}/readyz")
        orders.wait_for_200(f"http://127.0.0.1:{api}/startupz")

        request = urllib.request.Request(f"http://127.0.0.1:{api}/orders", data=json.dumps(ORDER).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "Idempotency-Key": KEY}, method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
            created = json.load(response)
            assert response.headers["Location"] == f"/orders/{created['id']}"
        assert created["total_cents"] == 3000

        worker.wait_for(lambda: charges(worker.log), "charging the order")
        # The page's "run the same curl once more": the same order, replayed, and no second charge.
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
            assert response.headers["Idempotent-Replayed"] == "true"
            assert json.load(response)["id"] == created["id"]
        time.sleep(1)
        assert charges(worker.log) == [(created["id"], 3000)]
    finally:
        orders.stop()
        worker.stop()
    for program in (orders, worker):
        assert program.process.returncode == 0, f"{program.name} did not stop cleanly on SIGTERM:\n{program.log}"
    assert "shutting down" in orders.log, orders.log
