"""Reading a stored message back from JetStream, as `nats stream get` does:
one request to the JetStream API over the NATS client protocol
(https://docs.nats.io/reference/reference-protocols/nats-protocol and
.../jetstream_api_reference), so the run needs no client library."""

from __future__ import annotations

import base64
import json
import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredMessage:
    stream: str
    sequence: int
    subject: str
    headers: dict[str, str]
    data: bytes
    time: str


class JetStreamError(Exception):
    pass


def request(url: str, subject: str, payload: dict, timeout: float = 5.0) -> dict:
    host, port = url.removeprefix("nats://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        reader = sock.makefile("rb")
        info = reader.readline()
        if not info.startswith(b"INFO "):
            raise JetStreamError(f"not a NATS server at {url}: {info[:80]!r}")
        body = json.dumps(payload).encode()
        connect = {"verbose": False, "pedantic": False, "headers": True, "no_responders": True,
                   "protocol": 1, "name": "incident-run", "lang": "python", "version": "1"}
        sock.sendall(b"CONNECT " + json.dumps(connect).encode() + b"\r\n"
                     b"SUB _INBOX.incident 1\r\n"
                     + f"PUB {subject} _INBOX.incident {len(body)}\r\n".encode() + body + b"\r\n")
        while True:
            line = reader.readline()
            if not line:
                raise JetStreamError(f"{url} closed the connection before answering {subject}")
            if line.startswith(b"PING"):
                sock.sendall(b"PONG\r\n")
            elif line.startswith(b"-ERR"):
                raise JetStreamError(line.decode().strip())
            elif line.startswith(b"MSG "):
                size = int(line.split()[-1])
                return json.loads(reader.read(size + 2)[:size])
            elif line.startswith(b"HMSG "):  # headers only: "no responders" (JetStream is off)
                size = int(line.split()[-1])
                raise JetStreamError(f"{subject}: {reader.read(size + 2)[:size].decode(errors='replace')}")


def get_message(url: str, stream: str, sequence: int) -> StoredMessage:
    answer = request(url, f"$JS.API.STREAM.MSG.GET.{stream}", {"seq": sequence})
    if "error" in answer:
        raise JetStreamError(f"{stream} #{sequence}: {answer['error'].get('description')}")
    message = answer["message"]
    return StoredMessage(stream, message["seq"], message["subject"],
                         _headers(base64.b64decode(message.get("hdrs") or b"")),
                         base64.b64decode(message.get("data") or b""), message.get("time", ""))


def stream_messages(url: str, stream: str) -> int:
    answer = request(url, f"$JS.API.STREAM.INFO.{stream}", {})
    if "error" in answer:
        raise JetStreamError(f"{stream}: {answer['error'].get('description')}")
    return int(answer["state"]["messages"])


def _headers(block: bytes) -> dict[str, str]:
    """NATS headers: a "NATS/1.0" line, then "Key: value" lines."""
    found = {}
    for line in block.decode(errors="replace").split("\r\n")[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            found[key.strip()] = value.strip()
    return found
