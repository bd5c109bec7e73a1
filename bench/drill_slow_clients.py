"""Slow clients (slowloris) against gunicorn alone and against nginx in front of it (issue 23).

    .venv/bin/python bench/drill_slow_clients.py                    # 20, then 200 slow connections
    .venv/bin/python bench/drill_slow_clients.py --slow 10 --slow 20 --seconds 30

It starts its own PostgreSQL and Redis on spare ports (bench/services.py; never the machine's
own), migrates, seeds and collects static files as scripts/production does, and runs gunicorn
with the project's gunicorn.conf.py and its default on this machine's 2 cores, 5 workers x 4
threads, on 127.0.0.1, with nginx in front (deploy/nginx/dashboard.conf.template). Then, for
each target (gunicorn alone, as the shipped deployment exposed it before issue 23, and nginx),
and each number of slow connections (none first, then each --slow):

- it opens that many connections that each send a request line, then one more header line
  every 2 s, and never finish (a slowloris); one the server closes is opened again at once;
- meanwhile it asks for /report/ four times a second, each on a new connection with a 10 s
  limit. Through nginx it asks twice: as a visitor (the page nginx keeps) and with a cookie,
  which nginx never answers from its cache: that figure is gunicorn's own, behind nginx.

It prints a table: answers, median and worst latency, how many took over a second or got no
answer within 10 s, and how many slow connections the server closed. It measures, it does not
judge: it exits 0 whatever the figures (the figures go in docs/deploy.md).
"""

import argparse
import asyncio
import contextlib
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import services

PAGE = "/report/"
PROBES_PER_SECOND = 4
PROBE_TIMEOUT = 10.0
SLOW_INTERVAL = 2.0  # seconds between a slow client's header lines
COOKIE = {"Cookie": "drill=slow-clients"}  # nginx sends a request with a cookie on to gunicorn


@dataclass
class SlowCounts:
    opened: int = 0
    closed_by_server: int = 0
    refused: int = 0


@dataclass
class Probe:
    started: float
    seconds: float | None  # None: no answer within PROBE_TIMEOUT, or the connection failed
    status: int | None
    cache: str = ""


@dataclass
class Row:
    target: str
    slow: int
    probes: list[Probe] = field(default_factory=list)
    counts: SlowCounts = field(default_factory=SlowCounts)


# Slow clients ----------------------------------------------------------------------------------


class SlowClients:
    """`count` slowloris connections to 127.0.0.1:`port`, in an asyncio loop on a thread of its own."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.counts = SlowCounts()
        self._stop: asyncio.Event | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="slow-clients", daemon=True)
        self._started = threading.Event()

    def __enter__(self) -> "SlowClients":
        if self.count:
            self._thread.start()
            self._started.wait()
        return self

    def __exit__(self, *exc) -> None:
        if self.count:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join()
        self._loop.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._all())

    async def _all(self) -> None:
        self._stop = asyncio.Event()
        self._started.set()
        await asyncio.gather(*(self._one(number) for number in range(self.count)))

    async def _one(self, number: int) -> None:
        while not self._stop.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                self.counts.refused += 1
                await self._pause(0.5)
                continue
            self.counts.opened += 1
            closed = await self._trickle(number, reader, writer)
            self.counts.closed_by_server += closed
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _trickle(self, number: int, reader, writer) -> bool:
        """Send the request a line at a time until told to stop; True if the server closed it
        (or answered, which for a request never finished is a 408 or 400, then a close)."""
        try:
            writer.write(f"GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
            await writer.drain()
            line = 0
            while not self._stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(1024), timeout=SLOW_INTERVAL)
                    return True  # data or end of file: the server gave up on us
                line += 1
                writer.write(f"X-Slow-{number}-{line}: 1\r\n".encode())
                await writer.drain()
        except OSError:
            return True
        return False

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)


# Probes ------------------------------------------------------------------------------------------


def probe(port: int, headers: dict[str, str]) -> Probe:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
    try:
        connection.request("GET", PAGE, headers={"Host": "127.0.0.1", "Accept-Encoding": "gzip", **headers})
        response = connection.getresponse()
        response.read()
        seconds = time.monotonic() - started
        if seconds > PROBE_TIMEOUT:
            return Probe(started, None, response.status)
        return Probe(started, seconds, response.status, response.getheader("X-Nginx-Cache") or "")
    except (OSError, http.client.HTTPException):
        return Probe(started, None, None)
    finally:
        connection.close()


def probes_for(seconds: float, port: int, headers: dict[str, str]) -> list[Probe]:
    """PROBES_PER_SECOND probes for `seconds`, each started on time whatever the others do."""
    futures = []
    with ThreadPoolExecutor(max_workers=int(PROBES_PER_SECOND * PROBE_TIMEOUT) + 4) as pool:
        start = time.monotonic()
        for number in range(int(seconds * PROBES_PER_SECOND)):
            time.sleep(max(0.0, start + number / PROBES_PER_SECOND - time.monotonic()))
            futures.append(pool.submit(probe, port, headers))
    return [future.result() for future in futures]


# The drill ---------------------------------------------------------------------------------------


def measure(target: str, port: int, slow: int, seconds: float, headers: dict[str, str]) -> Row:
    row = Row(target, slow)
    with SlowClients(port, slow) as clients:
        time.sleep(3 if slow else 0)  # every slow connection open and holding what it holds
        row.probes = probes_for(seconds, port, headers)
        row.counts = clients.counts
    time.sleep(1)  # the slow connections closed: the server frees what they held
    return row


NO_ANSWER = float("inf")


def _milliseconds(seconds: float) -> str:
    return f">{PROBE_TIMEOUT * 1000:.0f}" if seconds == NO_ANSWER else f"{seconds * 1000:.0f}"


def report(rows: list[Row]) -> None:
    header = ["target", "slow", "asked", "answered", "median ms", "worst ms", "over 1 s", "no answer in 10 s"]
    header += ["slow opened", "closed by server"]
    lines = []
    for row in rows:
        answered = [p.seconds for p in row.probes if p.seconds is not None]
        timeouts = len(row.probes) - len(answered)
        over = sum(1 for s in answered if s > 1.0) + timeouts
        # A probe with no answer counts as longer than any answer: past half of them, the median is too.
        ranked = sorted(answered) + [NO_ANSWER] * timeouts
        median = _milliseconds(statistics.median_high(ranked)) if ranked else "-"
        worst = _milliseconds(ranked[-1]) if ranked else "-"
        statuses = {p.status for p in row.probes if p.status is not None}
        caches = {p.cache for p in row.probes if p.cache}
        answers = "/".join(map(str, sorted(statuses))) or "-"
        note = f"{row.target} ({answers}{', ' + '/'.join(sorted(caches)) if caches else ''})"
        lines.append(
            [note, str(row.slow), str(len(row.probes)), str(len(answered)), median, worst, str(over), str(timeouts),
             str(row.counts.opened), str(row.counts.closed_by_server)]
        )  # fmt: skip
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    for line in [header, ["-" * width for width in widths], *lines]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, action="append", help="slow connections (repeatable; default 20 and 200)")
    parser.add_argument("--seconds", type=float, default=20, help="probing time for each row (default 20)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes (default 5: 2 per core + 1)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process (default 4)")
    args = parser.parse_args()
    counts = [0, *(args.slow or [20, 200])]
    if any(count < 0 for count in counts) or args.seconds <= 0:
        parser.error("--slow and --seconds must be positive")

    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} cores; gunicorn {args.workers} workers x"
        f" {args.threads} threads; {PROBES_PER_SECOND} probes of {PAGE} a second for {args.seconds:.0f} s per row"
    )
    with (
        services.temporary_postgres() as postgres,
        services.temporary_redis() as redis,
        tempfile.TemporaryDirectory(prefix="slow-clients-") as work,
    ):
        folder = Path(work)
        folder.chmod(0o755)  # nginx's workers (nobody, when started by root) read the static files
        static_root = folder / "static"
        env = services.app_environment(
            postgres.url, redis.url, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(folder / "media"), LOG_LEVEL="WARNING"
        )
        for command in (["migrate", "--noinput"], ["seed"]):
            services.manage(env, *command)
        services.collect_static(env)
        app_folder = folder / "app"
        app_folder.mkdir()
        with (
            services.gunicorn(env, workers=args.workers, threads=args.threads, folder=app_folder) as app,
            services.nginx([app], static_root=static_root) as proxy,
        ):
            for port in (app.port, proxy.port):
                for _ in range(args.workers * 4):  # every worker's cache, and nginx's copy
                    probe(port, {})
            print(f"gunicorn {app.url} (its log: {app_folder}); nginx {proxy.url}\n")
            rows = []
            for slow in counts:
                rows.append(measure("gunicorn alone", app.port, slow, args.seconds, {}))
                rows.append(measure("nginx", proxy.port, slow, args.seconds, {}))
                rows.append(measure("nginx, with a cookie (gunicorn)", proxy.port, slow, args.seconds, COOKIE))
                report(rows[-3:])
            print("\nAll rows")
            report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
