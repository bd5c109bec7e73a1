"""Throwaway PostgreSQL, Redis and gunicorn servers for the drills and the scale-out demo.

Each starts on a spare port in a temporary folder and is stopped when its `with` block ends,
so a drill can stop, hang (SIGSTOP) and restart them freely. The machine's own PostgreSQL
(5432) and Redis (6379) are never touched.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered on port {port} within {seconds} s")


def _as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the machine has a postgres user for it.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Server:
    """A process we started, which a drill may stop, restart, pause and resume."""

    name: str
    port: int
    folder: Path
    command: list[str]
    url: str = ""
    env: dict[str, str] | None = None
    # PostgreSQL runs as a process group (postmaster and backends): signals go to all of it.
    group: bool = False
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        log = open(self.folder / f"{self.name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        command = ["setsid", *self.command] if self.group else self.command
        self.process = subprocess.Popen(command, cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()  # a paused server cannot shut down
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.process.wait()

    def pause(self) -> None:
        """Hang the server as a frozen machine would: connections stay open, nothing answers."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, number: int) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, number) if self.group else self.process.send_signal(number)


@contextlib.contextmanager
def temporary_postgres() -> Iterator[Server]:
    """A PostgreSQL of our own (initdb into a temporary folder), with trust auth for `postgres`."""
    folder = Path(tempfile.mkdtemp(prefix="drill-pg-"))
    shutil.chown(folder, "postgres") if os.geteuid() == 0 else None
    data = folder / "data"
    subprocess.run(
        _as_postgres(["initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = Server(
        "postgres",
        port,
        folder,
        # `postgres` itself, not pg_ctl: SIGSTOP must reach the postmaster and, through its
        # process group, every backend, as when a database machine freezes.
        command=_as_postgres(
            [
                "postgres",
                "-D",
                str(data),
                "-p",
                str(port),
                "-h",
                "127.0.0.1",
                "-k",
                str(folder),
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
            ]
        ),
        url=f"postgres://postgres@127.0.0.1:{port}/drill",
        group=True,
    )
    try:
        server.start()
        _wait_until_accepting(port)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "drill"], check=True)
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_accepting(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False)
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    raise TimeoutError(f"PostgreSQL on port {port} did not accept connections within {seconds} s")


@contextlib.contextmanager
def temporary_redis() -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="drill-redis-"))
    port = free_port()
    server = Server(
        "redis",
        port,
        folder,
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        url=f"redis://127.0.0.1:{port}/0",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def app_environment(database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of a production-like app server: DEBUG off, no TLS in front."""
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        HTTPS_ONLY="0",
        SECRET_KEY="drill-only-secret-key-not-used-anywhere-else-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 2, threads: int = 4, folder: Path | None = None
) -> Iterator[Server]:
    """gunicorn with the project's gunicorn.conf.py on a spare port; its log goes to a file."""
    folder = folder or Path(tempfile.mkdtemp(prefix="drill-app-"))
    port = free_port()
    env = {
        **env,
        "PORT": str(port),
        "BIND_ADDRESS": "127.0.0.1",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
    }
    server = Server(
        f"gunicorn-{port}",
        port,
        folder,
        [str(PROJECT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py"],
        url=f"http://127.0.0.1:{port}",
        env=env,
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
