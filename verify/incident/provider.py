"""A payment provider stand-in: POST /charges answers 200 (charged) while
healthy; degraded, it answers 503 to two calls of every three, as a
struggling provider does; down, it answers 503 to every call. It keeps every
request it received, with the headers that matter to the incident: the
Idempotency-Key (the order id) and the W3C traceparent."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from .local_server import LocalServer


@dataclass(frozen=True)
class Charge:
    at: float  # time.monotonic()
    order_id: str
    traceparent: str
    status: int


HEALTHY, DEGRADED, DOWN = "healthy", "degraded", "down"


class Provider(LocalServer):
    def __init__(self) -> None:
        self.mode = HEALTHY
        self._calls = 0
        self.charges: list[Charge] = []
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path != "/charges":
                    self._answer(404, {"error": "not found"})
                    return
                order_id = self.headers.get("Idempotency-Key", "")
                try:
                    order_id = order_id or json.loads(body).get("order_id", "")
                except ValueError:
                    pass
                with provider._lock:
                    provider._calls += 1
                    status = provider._status(provider._calls)
                    provider.charges.append(Charge(time.monotonic(), order_id,
                                                   self.headers.get("traceparent", ""), status))
                self._answer(status, {"status": "charged"} if status == 200
                             else {"error": "service unavailable"})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # the run keeps its own record
                pass

        super().__init__(Handler)

    def _status(self, call: int) -> int:
        if self.mode == DOWN:
            return 503
        # Every third call goes through: never five failures in a row, so
        # the worker's breaker stays closed and each order takes its chances.
        if self.mode == DEGRADED and call % 3:
            return 503
        return 200

    def received(self) -> list[Charge]:
        with self._lock:
            return list(self.charges)
