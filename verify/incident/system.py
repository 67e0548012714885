"""The order system as production runs it, on 127.0.0.1: every component a
process of its own (PostgreSQL, a NATS server with JetStream, the order API,
the worker, Prometheus), on free ports, with its log in the run's folder.

Each process runs in its own session, so a Ctrl-C reaches only the run,
which then stops every process by its PID, newest first; so do a failure and
the end of the run. Nothing is found or stopped by name.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ROOT, SNIPPETS, TOOLS_BIN, rel

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
GO_MODULE = SNIPPETS / "go"
COMMANDS = ("orders", "worker", "deadletters")
# Built once into a folder that outlives the runs: go build relinks only when
# the sources changed, so a warm run does not link three binaries again. A
# lock keeps two runs (make test's workers) from writing one binary at once.
PROGRAMS = ROOT / ".cache" / "incident" / "bin"
STARTUP_TIMEOUT = 60.0


class SystemError(Exception):
    """The system cannot run here: says why and what to do."""


class Stopped(Exception):
    """The run was told to stop (Ctrl-C, SIGTERM) while a step waited."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> Path:
    """A pinned binary in .tools/bin, or a message saying how to get it."""
    path = TOOLS_BIN / name
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise SystemError(f"{rel(path)} is missing: run `make setup`, which installs it "
                          "(see the Makefile)")
    return path


def postgres_binary(name: str) -> Path:
    path = POSTGRES_BIN / name
    if not path.is_file():
        raise SystemError(
            f"{path} is missing: install Debian's postgresql-15="
            f"{(ROOT / 'tools' / 'postgresql.version').read_text().strip()} "
            "(`make setup` does, as root)")
    return path


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    stop_signal: int = signal.SIGTERM

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(self.stop_signal)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines() if self.log.exists() else []


@dataclass
class System:
    root: Path  # the run's folder: binaries, logs, Prometheus' data
    processes: dict[str, Process] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    _pg_dir: Path | None = None

    # --- building -----------------------------------------------------------

    def build(self) -> dict[str, Path]:
        """The order API, the worker and the on-call's dead-letter tool,
        built from snippets/go (no race detector: production binaries)."""
        go = shutil.which("go")
        if not go:
            raise SystemError("go is not on PATH: install Go 1.26")
        PROGRAMS.mkdir(parents=True, exist_ok=True)
        with open(PROGRAMS / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            result = subprocess.run([go, "build", "-o", f"{PROGRAMS}/", *(f"./cmd/{c}" for c in COMMANDS)],
                                    cwd=GO_MODULE, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemError(f"go build {' '.join(f'./cmd/{c}' for c in COMMANDS)} (in snippets/go) failed:\n"
                              f"{result.stdout}{result.stderr}")
        return {command: PROGRAMS / command for command in COMMANDS}

    # --- starting -----------------------------------------------------------

    def spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None,
              user: str | None = None, stop_signal: int = signal.SIGTERM,
              cwd: Path | None = None) -> Process:
        self._check_not_stopping()
        logs = self.root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{name}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=cwd or self.root, start_new_session=True, user=user,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
            )
        process = Process(name, popen, log, stop_signal)
        self.processes[name] = process
        return process

    def start_postgres(self) -> str:
        """A throwaway PostgreSQL 15 on a free port; its URL. PostgreSQL
        refuses to run as root: as root it runs as the package's postgres user."""
        initdb, postgres = postgres_binary("initdb"), postgres_binary("postgres")
        user = None
        self._pg_dir = Path(tempfile.mkdtemp(prefix="incident-pg-"))
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                raise SystemError("user postgres does not exist: install Debian's "
                                  "postgresql-15 package, which creates it") from None
            os.chown(self._pg_dir, entry.pw_uid, entry.pw_gid)
            user = "postgres"
        data = self._pg_dir / "data"
        result = subprocess.run([str(initdb), "-D", str(data), "-A", "trust", "-U", "orders",
                                 "--no-sync"], capture_output=True, text=True, user=user)
        if result.returncode != 0:
            raise SystemError(f"initdb failed:\n{result.stdout}{result.stderr}")
        port = self.ports["postgres"] = self.ports.get("postgres") or free_port()
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for clients.
        self.spawn("postgres", [str(postgres), "-D", str(data), "-k", str(self._pg_dir),
                                "-c", "listen_addresses=127.0.0.1", "-p", str(port),
                                "-c", "fsync=off"],
                   user=user, stop_signal=signal.SIGINT)
        self.wait("postgres", lambda: _accepts(port))
        return f"postgres://orders@127.0.0.1:{port}/postgres?sslmode=disable"

    def start_nats(self) -> str:
        nats = tool("nats-server")
        port = self.ports["nats"] = self.ports.get("nats") or free_port()
        monitor = self.ports["nats-monitor"] = self.ports.get("nats-monitor") or free_port()
        self.spawn("nats", [str(nats), "-a", "127.0.0.1", "-p", str(port), "-m", str(monitor),
                            "-js", "-sd", str(self.root / "jetstream")])
        self.wait("nats", lambda: _http_ok(f"http://127.0.0.1:{monitor}/healthz?js-enabled-only=true"))
        return f"nats://127.0.0.1:{port}"

    def start_service(self, name: str, cmd: list[str], env: dict[str, str], port: int) -> None:
        self.ports[name] = port
        self.spawn(name, cmd, env=env, stop_signal=signal.SIGTERM)
        self.wait(name, lambda: _http_ok(f"http://127.0.0.1:{port}/readyz"))

    def start_prometheus(self, config: Path) -> str:
        prometheus = tool("prometheus")
        port = self.ports["prometheus"] = self.ports.get("prometheus") or free_port()
        self.spawn("prometheus", [
            str(prometheus), f"--config.file={config}",
            f"--storage.tsdb.path={self.root / 'prometheus-data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ])
        url = f"http://127.0.0.1:{port}"
        self.wait("prometheus", lambda: _http_ok(f"{url}/-/ready"))
        return url

    # --- waiting --------------------------------------------------------------

    def wait(self, what: str, ready, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if ready():
                    return
            except OSError:
                pass
            self.sleep(0.1)
        raise SystemError(f"{what} did not become ready within {timeout:.0f}s\n{self.log_tail(what)}")

    def sleep(self, seconds: float) -> None:
        if self.stopping.wait(seconds):
            raise Stopped("the run was stopped")

    def _check_not_stopping(self) -> None:
        if self.stopping.is_set():
            raise Stopped("the run was stopped")

    def check_alive(self) -> None:
        self._check_not_stopping()
        for name, process in self.processes.items():
            code = process.popen.poll()
            if code is not None:
                raise SystemError(self._died(name, code))

    def _died(self, name: str, code: int) -> str:
        tail = self.log_tail(name)
        hint = ""
        if "address already in use" in tail.lower():
            hint = (f"\nA port it was given is taken by another program (ports {self.ports}); "
                    "free it, or run again: the run picks free ports.")
        return f"{name} exited with status {code}{hint}\n{tail}"

    def log_tail(self, name: str, lines: int = 20) -> str:
        process = self.processes.get(name)
        text = process.lines()[-lines:] if process else []
        where = rel(process.log) if process else name
        return f"last lines of {where}:\n" + "\n".join(text)

    # --- stopping -------------------------------------------------------------

    def stop(self) -> None:
        """Stop every process this run started, by PID, newest first."""
        self.stopping.set()
        for process in reversed(list(self.processes.values())):
            process.stop()
        if self._pg_dir:
            shutil.rmtree(self._pg_dir, ignore_errors=True)

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items()}


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


# Every system of this process, so that a signal or the interpreter's exit
# stops them all (checks run in worker threads, which cannot catch signals).
_running: list[System] = []
_lock = threading.Lock()
_stop_at_exit = False


def register(system: System) -> None:
    global _stop_at_exit
    with _lock:
        if not _stop_at_exit:
            atexit.register(stop_all)
            _stop_at_exit = True
        _running.append(system)


def unregister(system: System) -> None:
    with _lock:
        if system in _running:
            _running.remove(system)


def stop_all() -> None:
    with _lock:
        systems = list(_running)
        _running.clear()
    for system in systems:
        system.stop()
