"""Load benchmark: gunicorn as in production, measured with wrk, against issue 12's targets.

    .venv/bin/python bench/load.py                  # everything, about 15 minutes
    .venv/bin/python bench/load.py --quick          # one short run of each, about 4 minutes
    .venv/bin/python bench/load.py --only cached    # or: uncached, mixed (repeatable)
    .venv/bin/python bench/load.py --today-db grooming_bench_x1 --big-db grooming_bench_x100

Three measurements, each printed as a plain table with the issue's target beside it:

1. cached: each of /, /trends/, /areas/E23000014/, /map/ and /api/v1/figures at 16 connections,
   in the same server run as a static file of about the same size, alternately, and the page's
   requests per second against the static file's (target: at least half). Twice: from gunicorn
   alone (the app's page cache against WhiteNoise), and through nginx with the deploy template
   (the pages it keeps for 10 s against the file it serves from the disk), as deployed (issue 23).
2. uncached: with PAGE_CACHE=0, one connection, each page's median latency on today's data and
   on 100 times today's figures (targets: under 50 ms, and at most 1.5 times as long at 100x).
3. mixed: 64 connections for 60 s across a mix of the pages and static files, counting every
   error (status 400 and over, socket errors, timeouts; target: none), while a second wrk reads
   a static file over 2 connections: its latency is what a visitor's CSS waits behind pages.
   Twice: against gunicorn alone, where WhiteNoise serves static files from the same threads as
   pages, and through nginx in front of it with the deploy template, which serves /static/ from
   the collected files itself (as in production); the same file alone beside each.

It measures, it does not judge: it exits 0 whatever the figures. The databases are made by
bench/generate_data.py when missing (on the PostgreSQL server --server names; never the test
database). The app servers, nginx, and Redis for the page cache, are throwaway ones from
bench/services.py. Static files are collected first (`collectstatic` and the outage page, as
scripts/production does), because with DJANGO_ENV=production only hashed names are served.

wrk runs on the same 2 cores as gunicorn and PostgreSQL (and nginx), with -t2: the load generator
takes some of the machine it measures, so every figure here is lower than a separate client's would be.
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (
    PROJECT,
    app_environment,
    collect_static,
    generated_database,
    gunicorn,
    nginx,
    print_table,
    temporary_redis,
)

PAGES = ["/", "/trends/", "/areas/E23000014/", "/map/", "/api/v1/figures"]
SERVER = "postgres://postgres@127.0.0.1:5432"
WRK = "/usr/bin/wrk"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT") or PROJECT / "staticfiles")  # as settings reads it
STATIC_MANIFEST = STATIC_ROOT / "staticfiles.json"
MEDIA = Path(tempfile.gettempdir()) / "grooming-bench-media"

# wrk's own summary as one line of JSON: latencies in microseconds; "status" counts responses of 400 and over.
REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""
# The mixed run: every connection walks the list of paths in turn.
MIX = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


@dataclass
class Result:
    requests: int
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: dict[str, int]

    @classmethod
    def median(cls, results: list["Result"]) -> "Result":
        return cls(
            sum(r.requests for r in results),
            statistics.median(r.requests_per_second for r in results),
            statistics.median(r.p50_ms for r in results),
            statistics.median(r.p90_ms for r in results),
            statistics.median(r.p99_ms for r in results),
            {key: sum(r.errors[key] for r in results) for key in results[0].errors},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL, no database (default {SERVER})")
    parser.add_argument("--today-db", default="grooming_bench_x1", help="today's data (made if missing)")
    parser.add_argument("--big-db", default="grooming_bench_x100", help="100 times today's figures (made if missing)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes (default 5: 2 per core + 1)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process (default 4)")
    parser.add_argument("--seconds", type=int, default=10, help="each cached wrk run (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; medians are printed")
    parser.add_argument("--mixed-seconds", type=int, default=60, help="the 64-connection run (default 60)")
    parser.add_argument("--only", action="append", choices=["cached", "uncached", "mixed"], help="repeatable")
    parser.add_argument("--no-redis", action="store_true", help="cache in each process's memory, not Redis")
    parser.add_argument("--quick", action="store_true", help="one run each, 5 s runs, a 20 s mixed run")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.runs, args.mixed_seconds = 5, 1, 20
    wanted = args.only or ["cached", "uncached", "mixed"]

    today = generated_database(args.server, args.today_db, times=1)
    big = generated_database(args.server, args.big_db, times=100) if "uncached" in wanted else ""
    print(_machine_note(args))
    with contextlib.ExitStack() as stack:
        redis_url = "" if args.no_redis else stack.enter_context(temporary_redis()).url
        env = _environment(today, args.today_db, redis_url)
        collect_static(env)
        if "cached" in wanted:
            cached(env, args)
        if "uncached" in wanted:
            uncached(
                {"today": _environment(today, args.today_db, "", PAGE_CACHE="0"),
                 "100x": _environment(big, args.big_db, "", PAGE_CACHE="0")},
                args,
            )  # fmt: skip
        if "mixed" in wanted:
            mixed(env, args)


def _environment(database_url: str, name: str, redis_url: str, **extra: str) -> dict[str, str]:
    # The API's fair-use limit (300 a minute from one address) would answer wrk with 429s:
    # lifted here, as a CDN in front of the API would see many addresses, not one.
    return app_environment(database_url, redis_url, MEDIA_ROOT=str(MEDIA / name), API_RATE_LIMIT="1000000000", **extra)


def _machine_note(args) -> str:
    cores = os.cpu_count()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {cores} cores shared by gunicorn ({args.workers} processes x "
        f"{args.threads} threads), PostgreSQL, Redis and wrk (-t2); medians of {args.runs} run(s)."
    )


# Measurements -----------------------------------------------------------------------------------


def cached(env: dict[str, str], args) -> None:
    print("\n1. Cached pages against a static file of about the same size, 16 connections")
    print("   target: each page at least half the static file's requests per second, measured by the same server")
    print("   in the same run: gunicorn alone (the app's page cache; WhiteNoise's file), then nginx in front")
    print("   (the pages nginx keeps for 10 s; its own file from the disk), as deployed")
    rows = []
    with _app(env, args) as app, nginx([app], static_root=STATIC_ROOT) as proxy:
        for label, base in (("gunicorn", app.url), ("nginx", proxy.url)):
            for page in PAGES:
                rows.append(_page_beside_static(label, base, page, args))
    print_table(
        ["server", "page", "size", "req/s", "p50/p90/p99 ms", "errors", "static file", "req/s", "p50/p90/p99 ms",
         "page/static", ">= 0.5"],
        rows,
    )  # fmt: skip


def _page_beside_static(label: str, base: str, page: str, args) -> list[str]:
    """A page and the static file nearest its size, alternately at 16 connections: one row."""
    size = len(_get(base + page))
    static, static_size = _static_near(size)
    for path in (page, static):
        _wrk(base, path, connections=16, seconds=2)  # warm every process's cache and connection
    page_runs, static_runs = [], []
    for _ in range(args.runs):
        static_runs.append(_wrk(base, static, connections=16, seconds=args.seconds))
        page_runs.append(_wrk(base, page, connections=16, seconds=args.seconds))
    ours, theirs = Result.median(page_runs), Result.median(static_runs)
    ratio = ours.requests_per_second / theirs.requests_per_second
    return [label, page, f"{size / 1000:.0f} KB", f"{ours.requests_per_second:,.0f}", _latency(ours), _errors(ours),
            f"{static.rsplit('/', 1)[-1]} ({static_size / 1000:.0f} KB)", f"{theirs.requests_per_second:,.0f}",
            _latency(theirs), f"{ratio:.2f}", "ok" if ratio >= 0.5 else "MISSED"]  # fmt: skip


def uncached(envs: dict[str, dict[str, str]], args) -> None:
    print("\n2. Uncached pages (PAGE_CACHE=0), one connection: median latency")
    print("   target: under 50 ms on today's data, and at most 1.5 times that with 100 times today's figures")
    medians: dict[str, dict[str, Result]] = {}
    for label, env in envs.items():
        medians[label] = {}
        with _app(env, args) as app:
            for page in PAGES:
                # Every process opens its database connection and loads its templates on its first
                # requests (over a second); 16 connections reach every process before one is timed.
                _wrk(app.url, page, connections=16, seconds=3)
                runs = [_wrk(app.url, page, connections=1, seconds=max(3, args.seconds // 2), threads=1)
                        for _ in range(args.runs)]  # fmt: skip
                medians[label][page] = Result.median(runs)
    rows = []
    for page in PAGES:
        today, big = medians["today"][page], medians["100x"][page]
        ratio = big.p50_ms / today.p50_ms if today.p50_ms else float("nan")
        rows.append(
            [page, f"{today.p50_ms:.1f}", "ok" if today.p50_ms < 50 else "MISSED", f"{big.p50_ms:.1f}",
             f"{ratio:.2f}", "ok" if ratio <= 1.5 else "MISSED", f"{today.p99_ms:.1f} / {big.p99_ms:.1f}",
             f"{today.requests} / {big.requests}", f"{_errors(today)} | {_errors(big)}"]
        )  # fmt: skip
    print_table(
        ["page", "p50 today ms", "< 50", "p50 100x ms", "100x/today", "<= 1.5", "p99 today / 100x ms",
         "requests", "errors today | 100x"],
        rows,
    )  # fmt: skip


def mixed(env: dict[str, str], args) -> None:
    print(f"\n3. {args.mixed_seconds} s at 64 connections across pages and static files (cached)")
    print("   target: no errors; static files never waiting behind pages")
    print("   once against gunicorn alone (WhiteNoise serves /static/), once through nginx (nginx serves /static/)")
    manifest = json.loads(STATIC_MANIFEST.read_text())["paths"]
    statics = ["/static/" + manifest[name] for name in ("css/site.css", "js/charts.js", "js/quick-exit.js")]
    mix = [*PAGES, "/platforms/", "/outcomes/", "/sources/", "/areas/", "/about/", "/report/", *statics]
    probe = statics[0]
    with _app(env, args) as app:
        for path in mix:
            _get(app.url + path)
        rows = _static_behind_pages("WhiteNoise", app.url, mix, probe, args)
        with nginx([app], static_root=STATIC_ROOT) as proxy:
            rows += _static_behind_pages("nginx", proxy.url, mix, probe, args)
    print_table(
        ["run", "req/s", "p50/p90/p99 ms", "errors (status>=400 / connect / read / write / timeout)", "target"],
        rows,
    )


def _static_behind_pages(label: str, base: str, mix: list[str], probe: str, args) -> list[list[str]]:
    """The probe alone over 2 connections, then the 64-connection mix with the probe beside it:
    three rows of the table, each named with `label` (who serves /static/ at `base`)."""
    name = probe.rsplit("/", 1)[-1]
    alone = _wrk(base, probe, connections=2, seconds=5, threads=1)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT + MIX % ", ".join(json.dumps(p) for p in mix))
    loaded = subprocess.Popen(
        [WRK, "-t2", "-c64", f"-d{args.mixed_seconds}s", "--timeout", "10s", "-s", script.name, base],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)  # let the load build before probing
    during = _wrk(base, probe, connections=2, seconds=max(5, args.mixed_seconds - 6), threads=1)
    out, _ = loaded.communicate()
    os.unlink(script.name)
    load = _parse(out)
    total_errors = sum(load.errors.values())
    return [
        [f"{label}: 64 connections, mix of {len(mix)} paths", f"{load.requests_per_second:,.0f}",
         _latency(load), _errors(load), "ok" if total_errors == 0 else "MISSED"],
        [f"{label}: static file alone, 2 connections ({name})", f"{alone.requests_per_second:,.0f}",
         _latency(alone), _errors(alone), ""],
        [f"{label}: the same static file during the 64-connection run", f"{during.requests_per_second:,.0f}",
         _latency(during), _errors(during), f"p99 {during.p99_ms / max(alone.p99_ms, 0.001):.1f} x alone"],
    ]  # fmt: skip


@contextlib.contextmanager
def _app(env: dict[str, str], args):
    """A throwaway gunicorn whose log folder goes with it."""
    with (
        tempfile.TemporaryDirectory(prefix="load-app-") as folder,
        gunicorn(env, workers=args.workers, threads=args.threads, folder=Path(folder)) as app,
    ):
        yield app


# wrk ---------------------------------------------------------------------------------------------


def _wrk(base: str, path: str, *, connections: int, seconds: int, threads: int = 2) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT)
    try:
        command = [WRK, f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        done = subprocess.run([*command, "-s", script.name, base + path], capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    return _parse(done.stdout)


def _parse(output: str) -> Result:
    line = next(line for line in output.splitlines() if line.startswith('{"requests"'))
    data = json.loads(line)
    return Result(
        data["requests"],
        data["requests"] / (data["duration_us"] / 1_000_000),
        data["p50"] / 1000,
        data["p90"] / 1000,
        data["p99"] / 1000,
        {key: data[key] for key in ("status", "connect", "read", "write", "timeout")},
    )


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own local server
        return response.read()


def _static_near(size: int) -> tuple[str, int]:
    """The collected static file (hashed name, as production serves it) closest in size to a page."""
    manifest = json.loads(STATIC_MANIFEST.read_text())["paths"]
    sizes = {name: (STATIC_ROOT / name).stat().st_size for name in manifest.values()}
    name = min(sizes, key=lambda n: abs(sizes[n] - size))
    return "/static/" + name, sizes[name]


def _latency(result: Result) -> str:
    return f"{result.p50_ms:.1f} / {result.p90_ms:.1f} / {result.p99_ms:.1f}"


def _errors(result: Result) -> str:
    return " / ".join(str(result.errors[key]) for key in ("status", "connect", "read", "write", "timeout"))


if __name__ == "__main__":
    main()
