"""How many PostgreSQL connections the app servers hold under load, and what the load got.

bench/scale_out uses it twice (issue 23): with two app servers straight to PostgreSQL, and with
the same two through pgbouncer in transaction mode. Every request carries a session cookie, so
neither nginx nor the app's page cache answers it: each one builds its page from the database,
the most connections the app can want at once.
"""

import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2

WRK = "/usr/bin/wrk"
# Pages that each make several queries, built afresh every time (the cookie).
PATHS = ["/", "/trends/", "/areas/E23000014/", "/map/", "/platforms/", "/outcomes/", "/sources/", "/coverage/"]
COOKIE = "sessionid=connection-count-load"  # no such session: a visitor the caches must not answer
# wrk's summary as one line of JSON; "status" counts answers of 400 and over.
_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Cookie"] = "%s"})
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "status": %%d, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"timeout": %%d, "p50": %%d, "p99": %%d}\\n', summary.requests, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Peaks:
    """The most seen at once, polled every 50 ms."""

    app_role: int = 0  # PostgreSQL connections of the app's role
    all_clients: int = 0  # every client connection PostgreSQL had, ours included
    samples: int = 0
    pgbouncer_clients: int = 0  # clients connected to pgbouncer, active or waiting
    pgbouncer_waiting: int = 0
    pgbouncer_longest_wait_ms: float = 0.0


@dataclass
class Load:
    requests: int
    errors: int  # answers of 400 and over, and socket errors
    p50_ms: float
    p99_ms: float
    seconds: float


@contextlib.contextmanager
def watching(postgres_port: int, role: str, *, pgbouncer_port: int | None = None) -> Iterator[Peaks]:
    """Poll PostgreSQL's pg_stat_activity (as the superuser, on one of the connections PostgreSQL
    keeps for superusers) and pgbouncer's SHOW POOLS while the block runs."""
    peaks = Peaks()
    stop = threading.Event()
    server = psycopg2.connect(host="127.0.0.1", port=postgres_port, user="postgres", dbname="postgres")
    server.autocommit = True
    bouncer = None
    if pgbouncer_port is not None:
        bouncer = psycopg2.connect(host="127.0.0.1", port=pgbouncer_port, user=role, dbname="pgbouncer")
        bouncer.autocommit = True

    def poll() -> None:
        while not stop.is_set():
            with server.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FILTER (WHERE usename = %s), count(*) FROM pg_stat_activity"
                    " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    [role],
                )
                ours, everyone = cursor.fetchone()
            peaks.app_role = max(peaks.app_role, ours)
            peaks.all_clients = max(peaks.all_clients, everyone)
            peaks.samples += 1
            if bouncer is not None:
                with bouncer.cursor() as cursor:
                    cursor.execute("SHOW POOLS")
                    columns = [column.name for column in cursor.description]
                    for row in cursor.fetchall():
                        pool = dict(zip(columns, row, strict=True))
                        if pool["database"] == "pgbouncer":
                            continue
                        peaks.pgbouncer_clients = max(peaks.pgbouncer_clients, pool["cl_active"] + pool["cl_waiting"])
                        peaks.pgbouncer_waiting = max(peaks.pgbouncer_waiting, pool["cl_waiting"])
                        wait_ms = pool["maxwait"] * 1000 + pool.get("maxwait_us", 0) / 1000
                        peaks.pgbouncer_longest_wait_ms = max(peaks.pgbouncer_longest_wait_ms, wait_ms)
            stop.wait(0.05)

    thread = threading.Thread(target=poll, name="connection-count", daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        stop.set()
        thread.join()
        server.close()
        if bouncer is not None:
            bouncer.close()


def load(base_url: str, *, connections: int, seconds: int) -> Load:
    """wrk at `connections` for `seconds` over PATHS, every request with the session cookie."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_SCRIPT % (", ".join(json.dumps(path) for path in PATHS), COOKIE))
    try:
        started = time.monotonic()
        done = subprocess.run(
            [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, base_url],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.monotonic() - started
    finally:
        os.unlink(script.name)
    line = next(line for line in done.stdout.splitlines() if line.startswith('{"requests"'))
    data = json.loads(line)
    errors = sum(data[key] for key in ("status", "connect", "read", "write", "timeout"))
    return Load(data["requests"], errors, data["p50"] / 1000, data["p99"] / 1000, elapsed)


def refusals(log_text: str) -> list[str]:
    """PostgreSQL's refusals for want of a connection slot, from its log."""
    return [
        line for line in log_text.splitlines() if "too many clients" in line or "remaining connection slots" in line
    ]
