"""The built site served on 127.0.0.1 with gzip, as a production web server
serves it, so transferred bytes are what a reader's connection carries."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from site_server import StaticHandler, free_port  # noqa: E402  (tests/ is not a package)

__all__ = ["GzipHandler", "free_port", "serve"]

# Already compressed formats gain nothing from gzip.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(StaticHandler):
    """Sends text files gzip-compressed when the client accepts it."""

    _cache: dict[tuple[str, float], bytes] = {}

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        content_type = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.isfile(path) and content_type.startswith(COMPRESSIBLE)
                and self._is_canonical()):
            return super().do_GET()
        body = self._compressed(path)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _is_canonical(self) -> bool:
        """A folder without its trailing slash gets the parent's redirect instead."""
        request = self.path.split("?")[0].split("#")[0]
        return not (os.path.isdir(self.translate_path(request)) and not request.endswith("/"))

    def _compressed(self, path: str) -> bytes:
        key = (path, os.path.getmtime(path))
        if key not in self._cache:
            self._cache[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        return self._cache[key]


@contextlib.contextmanager
def serve(directory: Path, port: int):
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
