"""Throwaway PostgreSQL, pgbouncer, Redis, gunicorn and nginx servers for the drills, benchmarks and the scale-out demo.

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
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"

# The nginx configuration is filled in by the same code the tests use (deploy/nginx_config.py).
sys.path.insert(0, str(PROJECT))
from deploy.nginx_config import private_nginx
from deploy.pgbouncer_config import private_pgbouncer


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """A benchmark's figures as columns padded to their widest cell, printed at once."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  " + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    sys.stdout.flush()


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
    """A process we started, which a drill may stop, restart, pause (hang) and resume."""

    name: str
    port: int
    folder: Path
    command: list[str]
    url: str = ""
    env: dict[str, str] | None = None
    # How to stop it as an operator would: which signal, to the pid in which file (PostgreSQL
    # runs under runuser, and its fast shutdown is SIGINT to the postmaster).
    stop_signal: int = signal.SIGTERM
    pid_file: Path | None = None
    ready: Callable[[int], None] = wait_for_port
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        log = open(self.folder / f"{self.name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        self.process = subprocess.Popen(self.command, cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.ready(self.port)

    def stop(self, seconds: float = 20) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()  # a paused server cannot shut down
        try:
            target = int(self.pid_file.read_text().split()[0]) if self.pid_file else self.process.pid
            os.kill(target, self.stop_signal)
            self.process.wait(timeout=seconds)
        except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()

    def pause(self) -> list[int]:
        """Hang the server as a frozen machine would: SIGSTOP to every one of its processes.

        A process group is not enough: PostgreSQL's backends each lead a session of their own,
        and the connections Django keeps open would go on answering. Returns the pids."""
        if self.process is None or self.process.poll() is not None:
            return []
        stopped: set[int] = set()
        # Parents first, then look again: a child forked while we walked the tree is caught too.
        for _ in range(3):
            new = [pid for pid in process_tree(self.process.pid) if pid not in stopped]
            if not new:
                break
            for pid in new:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGSTOP)
                stopped.add(pid)
        return sorted(stopped)

    def resume(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for pid in process_tree(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def process_tree(pid: int) -> list[int]:
    """pid and every process below it, parents before children, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, queue = [], [pid]
    while queue:
        current = queue.pop(0)
        tree.append(current)
        queue.extend(children.get(current, []))
    return tree


@contextlib.contextmanager
def running(server: Server, *, remove_folder: bool = True) -> Iterator[Server]:
    """Start a server for a `with` block; stop it (and remove its temporary folder) after."""
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if remove_folder:
            shutil.rmtree(server.folder, ignore_errors=True)


@contextlib.contextmanager
def temporary_postgres(*, max_connections: int = 200) -> Iterator[Server]:
    """A PostgreSQL of our own (initdb into a temporary folder), with trust auth for `postgres`.
    Three of its `max_connections` are kept for superusers (PostgreSQL's default)."""
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
        # `postgres` itself, not pg_ctl, so that pausing reaches the postmaster and every backend.
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
                f"max_connections={max_connections}",
            ]
        ),
        url=f"postgres://postgres@127.0.0.1:{port}/drill",
        stop_signal=signal.SIGINT,  # a fast shutdown: sessions end, postmaster.pid is removed
        pid_file=data / "postmaster.pid",
        ready=_wait_until_accepting,
    )
    with running(server):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "drill"], check=True)
        yield server


def _wait_until_accepting(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False)
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    raise TimeoutError(f"PostgreSQL on port {port} did not accept connections within {seconds} s")


@contextlib.contextmanager
def temporary_redis(*, extra_args: list[str] | None = None) -> Iterator[Server]:
    """A Redis of our own, with nothing saved to disk; `extra_args` are added to its command
    line (for example `["--maxmemory", "16mb", "--maxmemory-policy", "volatile-lru"]`)."""
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
            *(extra_args or []),
        ],
        url=f"redis://127.0.0.1:{port}/0",
    )
    with running(server):
        yield server


@contextlib.contextmanager
def pgbouncer(
    postgres: Server,
    *,
    database: str,
    users: list[str],
    pool_size: int,
    reserve_pool_size: int,
) -> Iterator[Server]:
    """pgbouncer in transaction mode with the deploy template (deploy/pgbouncer/pgbouncer.ini.template),
    on a spare port in front of `postgres`'s `database`, trusting `users` (the first may read
    its SHOW POOLS). It runs as the postgres user: pgbouncer refuses to run as root."""
    folder = Path(tempfile.mkdtemp(prefix="drill-pgbouncer-"))
    shutil.chown(folder, "postgres") if os.geteuid() == 0 else None
    port = free_port()
    command = private_pgbouncer(
        folder,
        port=port,
        database_port=postgres.port,
        database_name=database,
        users=users,
        pool_size=pool_size,
        reserve_pool_size=reserve_pool_size,
    )
    server = Server(
        "pgbouncer",
        port,
        folder,
        _as_postgres(command),
        url=f"postgres://{users[0]}@127.0.0.1:{port}/{database}",
        pid_file=folder / "pgbouncer.pid",  # SIGTERM to pgbouncer itself: it stops at once
    )
    with running(server):
        yield server


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


def collect_static(env: dict[str, str]) -> None:
    """collectstatic, then the outage page nginx sends when no app server answers, into the
    environment's STATIC_ROOT, as scripts/production does."""
    manage(env, "collectstatic", "--noinput")
    outage_page = [str(PYTHON), "-m", "dashboard.outage_page"]
    subprocess.run(outage_page, cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL)


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
    with running(server, remove_folder=False):  # the caller may read its log afterwards
        yield server


@contextlib.contextmanager
def nginx(
    app_servers: list[Server],
    *,
    static_root: Path,
    admin_path: str = "admin/",
    upload_max_bytes: int = 200_000_000,
    folder: Path | None = None,
) -> Iterator[Server]:
    """Debian's nginx with the deploy template, round robin over `app_servers`, on a spare port,
    serving /static/ itself from `static_root` (collected, then `python -m dashboard.outage_page`).

    It runs in the foreground with its pid file, logs and temporary files in its own folder
    (deploy/nginx_config.py): the machine's nginx service and port 80 are never touched.
    """
    folder = folder or Path(tempfile.mkdtemp(prefix="drill-nginx-"))
    folder.chmod(0o755)  # nginx's workers run as nobody when started by root, and buffer bodies here
    port = free_port()
    command = private_nginx(
        folder,
        port=port,
        app_servers=[f"127.0.0.1:{app.port}" for app in app_servers],
        static_root=static_root,
        admin_path=admin_path,
        upload_max_bytes=upload_max_bytes,
    )
    subprocess.run([*command, "-t", "-q"], check=True)
    server = Server("nginx", port, folder, command, url=f"http://127.0.0.1:{port}")
    with running(server):
        yield server


def create_database(database: dict) -> None:
    """The benchmark's own database, made on first use (on the server DATABASE_URL names)."""
    import psycopg2

    server = psycopg2.connect(
        dbname="postgres", user=database["USER"], host=database["HOST"], port=database["PORT"] or 5432
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
    server.close()


def generated_database(server: str, name: str, *, times: int) -> str:
    """The database's URL, generating its data first if it does not exist."""
    import psycopg2

    connection = psycopg2.connect(f"{server.rstrip('/')}/postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    connection.close()
    if not exists:
        print(f"Generating {name} ({times} x today's figures) with bench/generate_data.py ...", flush=True)
        subprocess.run(
            [str(PYTHON), "bench/generate_data.py", "--times", str(times), "--database", name, "--server", server],
            cwd=PROJECT,
            check=True,
        )
    return f"{server.rstrip('/')}/{name}"
