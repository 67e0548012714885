"""Building the real site into a folder and serving it on 127.0.0.1, as the
link, browser and privacy tests need it: site_url must match where it is served."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository the tested site is built for (REPO_URL), as the published one is.
REPO_URL = "https://github.com/example/kunskapsbas"
OWNER = {"SITE_OWNER": "example", "SITE_OWNER_URL": "https://github.com/example"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(site_dir: Path, site_url: str, extra_env: dict | None = None) -> None:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    result = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site. The `LinkChecker` header tells linkchecker this
    host is ours, so it stops pausing 0.1-0.6 s between requests to it."""

    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, port: int, handler_class: type = StaticHandler):
    """A static file server on 127.0.0.1 in this process, stopped when the block ends."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def world_readable_tempdir() -> Path:
    """linkchecker, run as root, drops to `nobody`: its files must be readable."""
    path = Path(tempfile.mkdtemp(prefix="kb-site-", dir="/tmp"))
    path.chmod(0o755)
    return path
