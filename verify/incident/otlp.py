"""An OTLP/HTTP trace receiver: where the programs export their spans during
the run (OTEL_EXPORTER_OTLP_ENDPOINT), as they would to a collector.

It decodes the protobuf the OpenTelemetry SDK sends (POST /v1/traces, an
ExportTraceServiceRequest) just far enough to keep, per span, the service,
trace and span ids, the parent, the name, the kind and the status: what a
trace view shows. Wire format: https://protobuf.dev/programming-guides/encoding/
and the messages in opentelemetry-proto's trace/v1/trace.proto.
"""

from __future__ import annotations

import gzip
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from .local_server import LocalServer

KINDS = {0: "unspecified", 1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}
STATUS = {0: "unset", 1: "ok", 2: "error"}


@dataclass(frozen=True)
class Span:
    service: str
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    kind: str
    start_ns: int
    status: str


def _fields(data: bytes):
    """(field number, wire type, value) of one message's fields."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 1:
            value, i = struct.unpack_from("<Q", data, i)[0], i + 8
        elif wire == 2:
            length, i = _varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = struct.unpack_from("<I", data, i)[0], i + 4
        else:
            raise ValueError(f"protobuf wire type {wire} is not used by OTLP")
        yield number, wire, value


def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7


def _string_attributes(resource: bytes) -> dict[str, str]:
    found = {}
    for number, _, kv in _fields(resource):
        if number != 1:
            continue
        key = value = ""
        for n, _, v in _fields(kv):
            if n == 1:
                key = v.decode()
            elif n == 2:
                value = next((s.decode() for m, w, s in _fields(v) if m == 1 and w == 2), "")
        found[key] = value
    return found


def decode(request: bytes) -> list[Span]:
    spans = []
    for number, _, resource_spans in _fields(request):
        if number != 1:
            continue
        service = ""
        for n, _, value in _fields(resource_spans):
            if n == 1:
                service = _string_attributes(value).get("service.name", "")
            elif n == 2:  # ScopeSpans
                for m, _, span in _fields(value):
                    if m == 2:
                        spans.append(_span(service, span))
    return spans


def _span(service: str, data: bytes) -> Span:
    got = {"trace": b"", "span": b"", "parent": b"", "name": b"", "kind": 0, "start": 0, "status": 0}
    for number, _, value in _fields(data):
        if number == 1:
            got["trace"] = value
        elif number == 2:
            got["span"] = value
        elif number == 4:
            got["parent"] = value
        elif number == 5:
            got["name"] = value
        elif number == 6:
            got["kind"] = value
        elif number == 7:
            got["start"] = value
        elif number == 15:
            got["status"] = next((v for n, w, v in _fields(value) if n == 3 and w == 0), 0)
    return Span(service, got["trace"].hex(), got["span"].hex(), got["parent"].hex(),
                got["name"].decode(), KINDS.get(got["kind"], str(got["kind"])), got["start"],
                STATUS.get(got["status"], str(got["status"])))


class Receiver(LocalServer):
    def __init__(self) -> None:
        self._spans: list[Span] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                if self.path != "/v1/traces":
                    self.send_response(404)
                    self.end_headers()
                    return
                try:
                    spans = decode(body)
                except (ValueError, IndexError, struct.error):
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver._lock:
                    receiver._spans.extend(spans)
                # An empty ExportTraceServiceResponse: everything accepted.
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(Handler)

    def trace(self, trace_id: str) -> list[Span]:
        with self._lock:
            return sorted((s for s in self._spans if s.trace_id == trace_id), key=lambda s: s.start_ns)
