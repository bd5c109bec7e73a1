"""Failure drills (issue 12): stop and hang PostgreSQL and Redis under load, and show what
every request got.

It starts its own PostgreSQL and Redis on spare ports (bench/services.py; never the
machine's shared ones), migrates and seeds a database, runs gunicorn with the project's
gunicorn.conf.py, warms the page cache, and keeps a load generator running (a thread per
path, a few requests a second each) while each scenario does its fault:

    db-stop     PostgreSQL shut down (fast shutdown), then started again
    db-hang     every PostgreSQL process stopped with SIGSTOP, then continued
    redis-stop  Redis shut down, then started again (empty)
    redis-hang  Redis stopped with SIGSTOP, then continued

Each scenario has three phases: baseline, outage and recovery. It prints every request (time,
phase, path, status, latency, X-Cache, request id, and what a 503 page lacked), then a table
per phase and path, /healthz per phase, the app's log lines per phase, and a verdict per
expectation. The exit status is 0 only if every expectation held.

    .venv/bin/python bench/drill.py                         # every scenario
    .venv/bin/python bench/drill.py --scenario db-hang      # one (or a comma-separated list)
    .venv/bin/python bench/drill.py --requests /tmp/r.txt   # request lines to a file

docs/failure-drills.md explains each expectation and shows a run.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import services
from drill_load import Load, Result, fetch

SCENARIOS = ("db-stop", "db-hang", "redis-stop", "redis-hang")
# Requested once before the load starts, so they are in the cache when a part fails.
WARMED = ["/", "/trends/", "/areas/E23000014/", "/map/", "/report/", "/api/v1/figures"]
# The "uncached" slots ask these before the first outage; each database outage then points
# them at a set never requested before, so what they get is what an uncached page gets.
FIRST_UNCACHED = ["/areas/E23000013/", "/figures/2/", "/sources/"]
FRESH_UNCACHED = [
    ["/areas/E23000015/", "/figures/3/", "/sources/?page=2"],
    ["/areas/E23000016/", "/figures/4/", "/sources/?page=3"],
    ["/areas/E23000017/", "/figures/5/", "/sources/?page=4"],
    ["/areas/E23000018/", "/figures/6/", "/sources/?page=5"],
]
HEALTH = "/healthz"
OUTAGE_ANSWER_SECONDS = 2.0  # the bound for an answer while a part is down


@dataclass
class Verdict:
    scenario: str
    text: str
    held: bool


@dataclass
class PhaseMark:
    name: str
    began: float  # seconds since the drill began
    log_offset: int
    ended: float = 0.0
    log_end: int = 0


@dataclass
class ScenarioRun:
    name: str
    back_at: float = 0.0  # when the part answered again, seconds since the drill began
    restore_seconds: float = 0.0  # how long starting or continuing it took
    harness: list[tuple[str, bool]] = field(default_factory=list)
    workers_before: list[int] = field(default_factory=list)
    workers_after: list[int] = field(default_factory=list)


class Drill:
    def __init__(self, args: argparse.Namespace, pg, redis, app, log_path: Path, out) -> None:
        self.args = args
        self.pg, self.redis, self.app = pg, redis, app
        self.log_path = log_path
        self.out = out  # where request lines go
        self.epoch = time.monotonic()
        self.phases: list[PhaseMark] = []
        self.runs: list[ScenarioRun] = []
        slots = [("cached", path) for path in WARMED]
        slots += [("uncached", path) for path in FIRST_UNCACHED]
        slots += [("health", HEALTH)]
        self.uncached_slots = range(len(WARMED), len(WARMED) + len(FIRST_UNCACHED))
        self.fresh = iter(FRESH_UNCACHED)
        self.load = Load(
            app.port,
            slots,
            rate=args.rate,
            timeout=args.timeout,
            epoch=self.epoch,
            on_result=lambda result: print(result.line(), file=self.out, flush=True),
        )

    def now(self) -> float:
        return time.monotonic() - self.epoch

    def say(self, text: str) -> None:
        # The wall-clock time (UTC, as in the app's log) matches a line to the log.
        clock = dt.datetime.now(dt.UTC).strftime("%H:%M:%S.%f")[:-3]
        print(f"{self.now():7.2f}s  == {clock} UTC  {text}", flush=True)

    def enter(self, phase: str) -> None:
        offset = self.log_path.stat().st_size
        if self.phases:
            self.phases[-1].ended, self.phases[-1].log_end = self.now(), offset
        self.phases.append(PhaseMark(phase, self.now(), offset))
        self.load.phase = phase
        self.say(f"phase {phase}")

    def finish(self) -> None:
        if self.phases:
            self.phases[-1].ended, self.phases[-1].log_end = self.now(), self.log_path.stat().st_size

    def warm(self) -> None:
        for path in WARMED:
            status, error, headers, _ = fetch(self.app.port, path, self.args.timeout)
            self.say(f"warm {path}: {status or error} X-Cache={headers.get('x-cache', '-')}")

    def run(self, scenarios: list[str]) -> None:
        try:
            for name in scenarios:
                self.run_scenario(name)
        finally:
            self.load.stop()
            self.finish()

    def run_scenario(self, name: str) -> None:
        run = ScenarioRun(name, workers_before=gunicorn_workers(self.app))
        self.runs.append(run)
        part, fault = name.split("-")
        server = self.pg if part == "db" else self.redis
        self.warm()  # a Redis restarted by an earlier scenario starts empty
        self.enter(f"{name}:baseline")
        if not self.load.started:
            self.load.start()
        time.sleep(self.args.baseline)

        old_connection = _postgres_connection(self.pg) if name == "db-hang" else None
        if part == "db":
            fresh = next(self.fresh)
            for slot, path in zip(self.uncached_slots, fresh, strict=True):
                self.load.point(slot, "uncached", path)
        self.enter(f"{name}:outage")
        began = time.monotonic()
        if fault == "stop":
            server.stop()
        else:
            pids = server.pause()
            self.say(f"SIGSTOP sent to {len(pids)} {server.name} processes: {pids}")
        self.say(f"{server.name} {'stopped' if fault == 'stop' else 'hung'}")
        checker = threading.Thread(target=self.check_fault, args=(run, part, fault, old_connection))
        checker.start()
        time.sleep(max(0.0, self.args.outage - (time.monotonic() - began)))
        checker.join()

        self.enter(f"{name}:recovery")
        began = time.monotonic()
        if fault == "stop":
            server.start()
        else:
            server.resume()
        run.restore_seconds = time.monotonic() - began
        run.back_at = self.now()
        how = "started" if fault == "stop" else "continued"
        self.say(f"{server.name} answers again ({how} in {run.restore_seconds:.2f} s)")
        if old_connection is not None:
            with contextlib.suppress(Exception):
                old_connection.close()
        time.sleep(self.args.recovery)
        run.workers_after = gunicorn_workers(self.app)

    def check_fault(self, run: ScenarioRun, part: str, fault: str, old_connection) -> None:
        """Make sure the fault is real, so a pass means the app coped, not that nothing failed."""
        time.sleep(0.5)
        if part == "db":
            checked = _psql(self.pg.port)
            if fault == "stop":
                run.harness.append((f"psql to the stopped PostgreSQL failed at once: {checked}", "refused" in checked))
            else:
                run.harness.append((f"psql to the hung PostgreSQL timed out: {checked}", "timeout expired" in checked))
                answered = _answers_within(old_connection, 2.5)
                run.harness.append(
                    (
                        "a connection opened before the hang got no answer to SELECT 1 within 2.5 s: "
                        + ("it answered" if answered else "none came"),
                        not answered,
                    )
                )
        else:
            checked = _redis_ping(self.redis.port)
            expected, state = ("refused", "stopped") if fault == "stop" else ("no reply", "hung")
            run.harness.append((f"PING to the {state} Redis: {checked}", checked == expected))
        for text, held in run.harness:
            self.say(f"harness: {'ok' if held else 'NOT AS INTENDED'}: {text}")


def _psql(port: int) -> str:
    began = time.monotonic()
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "drill", "-Atc", "SELECT 1"],
        env={**os.environ, "PGCONNECT_TIMEOUT": "2"},
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    seconds = time.monotonic() - began
    message = (done.stderr.strip().splitlines() or [done.stdout.strip()])[0]
    if "refused" in message:
        message = "connection refused"
    elif "timeout expired" in message:
        message = "timeout expired"
    return f"{message} after {seconds:.1f} s"


def _postgres_connection(pg):
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="drill", connect_timeout=2)
    connection.autocommit = True
    connection.cursor().execute("SELECT 1")
    return connection


def _answers_within(connection, seconds: float) -> bool:
    answered = threading.Event()

    def ask() -> None:
        with contextlib.suppress(Exception):
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            answered.set()

    threading.Thread(target=ask, daemon=True).start()
    return answered.wait(seconds)


def _redis_ping(port: int) -> str:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
            return reply.decode().strip() or "closed"
    except ConnectionRefusedError:
        return "refused"
    except TimeoutError:
        return "no reply"


def _wait_for_workers(app, count: int, seconds: float = 30) -> None:
    # gunicorn listens before its workers have booted; compare worker pids only once all are up.
    deadline = time.monotonic() + seconds
    while len(gunicorn_workers(app)) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def gunicorn_workers(app) -> list[int]:
    return sorted(services.process_tree(app.process.pid)[1:]) if app.process else []


# The report


def _status(result: Result) -> str:
    return str(result.status) if result.status is not None else result.error


def _latency(results: list[Result]) -> str:
    if not results:
        return "-"
    seconds = [r.latency for r in results]
    return f"p50 {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"


def _counts(values) -> str:
    return " ".join(f"{value}x{count}" for value, count in sorted(Counter(values).items())) or "-"


def _share(held: int, total: int) -> str:
    return f"{held}/{total}"


def read_log(path: Path, start: int, end: int) -> list[str]:
    with path.open("rb") as log:
        log.seek(start)
        return log.read(end - start).decode("utf-8", "replace").splitlines()


def parse_log(lines: list[str]) -> tuple[list[dict], list[str]]:
    parsed, other = [], []
    for line in lines:
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            other.append(line)
            continue
        (parsed if isinstance(entry, dict) else other).append(entry if isinstance(entry, dict) else line)
    return parsed, other


def report(drill: Drill, workers: int) -> list[Verdict]:
    results = drill.load.results
    by_phase: dict[str, list[Result]] = {}
    for result in results:
        by_phase.setdefault(result.phase, []).append(result)
    order = {"cached": 0, "uncached": 1, "health": 2}

    print("\n## Every phase, by path\n")
    for mark in drill.phases:
        rows = by_phase.get(mark.name, [])
        print(f"{mark.name} ({mark.began:.1f} to {mark.ended:.1f} s, {len(rows)} requests)")
        for path in dict.fromkeys(r.path for r in sorted(rows, key=lambda r: order[r.group])):
            mine = [r for r in rows if r.path == path]
            fives = [r for r in mine if r.status == 503 and r.group != "health"]
            notes = [f"X-Cache {_counts(r.x_cache or '-' for r in mine)}"]
            if fives:
                notes.append(f"503 with help+exit {_share(sum(not r.missing_help for r in fives), len(fives))}")
            if any(r.leaks for r in mine):
                notes.append(f"LEAKS {_counts(leak for r in mine for leak in r.leaks)}")
            statuses = _counts(map(_status, mine))
            print(f"  {mine[0].group:<8} {path:<22} {statuses:<16} {_latency(mine):<26} " + "; ".join(notes))
        print()

    print("## /healthz, by phase\n")
    for mark in drill.phases:
        rows = [r for r in by_phase.get(mark.name, []) if r.group == "health"]
        said = _counts(
            f"database={r.health.get('database')}, cache={r.health.get('cache')}" for r in rows if r.health is not None
        )
        print(f"  {mark.name:<20} {_counts(map(_status, rows)):<14} {_latency(rows):<26} {said}")

    print("\n## The app's log (gunicorn's stdout), by phase\n")
    log_ids: set[str] = set()
    all_entries, all_other = [], []
    for mark in drill.phases:
        entries, other = parse_log(read_log(drill.log_path, mark.log_offset, mark.log_end))
        all_entries += entries
        all_other += other
        log_ids |= {entry.get("request_id") for entry in entries if entry.get("request_id")}
        levels = _counts(entry["level"] for entry in entries if entry.get("level"))
        access = sum(entry.get("logger") == "gunicorn.access" for entry in entries)
        print(f"  {mark.name:<20} access lines {access}; others by level: {levels}; not JSON: {len(other)}")
        notable = Counter(
            f"{entry.get('level')} {entry.get('logger')}: {entry.get('message', '')[:110]}"
            + ("" if entry.get("request_id") else " [no request id]")
            for entry in entries
            if entry.get("level") in ("WARNING", "ERROR", "CRITICAL")
        )
        for text, count in notable.items():
            print(f"      {count}x {text}")
        for line in other[:3]:
            print(f"      not JSON: {line[:140]}")

    verdicts = _verdicts(drill, by_phase, workers, log_ids)
    answered = [r for r in results if r.status is not None]
    leaked = [r for r in results if r.leaks]
    verdicts.append(
        Verdict(
            "all",
            f"no answer showed a stack trace or SQL: {_share(len(results) - len(leaked), len(results))}",
            not leaked,
        )
    )
    with_id = [r for r in answered if r.request_id]
    verdicts.append(
        Verdict(
            "all",
            f"every answer carried X-Request-ID: {_share(len(with_id), len(answered))}",
            len(with_id) == len(answered),
        )
    )
    errors = [e for e in all_entries if e.get("level") in ("ERROR", "CRITICAL") and e.get("path")]
    errors_with_id = [e for e in errors if e.get("request_id")]
    example = next((e for e in errors if not e.get("request_id")), None)
    verdicts.append(
        Verdict(
            "all",
            "every ERROR logged about a request is JSON with its request id: "
            + _share(len(errors_with_id), len(errors))
            + (f"; e.g. {json.dumps(example)}" if example else ""),
            len(errors_with_id) == len(errors),
        )
    )
    tracebacks = [line for line in all_other if "Traceback" in line]
    verdicts.append(
        Verdict(
            "all",
            f"no stack trace was logged outside a JSON line: {len(tracebacks)} found "
            f"({len(all_other)} lines of the log during the drill were not JSON)",
            not tracebacks,
        )
    )
    timeouts = [line for line in all_other if "WORKER TIMEOUT" in line]
    verdicts.append(Verdict("all", f"gunicorn killed no worker for a timeout: {len(timeouts)} killed", not timeouts))

    print("\n## Verdicts\n")
    for verdict in verdicts:
        print(f"  {'PASS' if verdict.held else 'FAIL'}  {verdict.scenario}: {verdict.text}")
    return verdicts


def _verdicts(drill: Drill, by_phase: dict[str, list[Result]], workers: int, log_ids: set[str]) -> list[Verdict]:
    verdicts: list[Verdict] = []
    for run in drill.runs:
        name = run.name

        def add(text: str, held: bool, scenario: str = name) -> None:
            verdicts.append(Verdict(scenario, text, held))

        for text, held in run.harness:
            add(f"harness: {text}", held)
        baseline = by_phase.get(f"{name}:baseline", [])
        outage = by_phase.get(f"{name}:outage", [])
        recovery = sorted(by_phase.get(f"{name}:recovery", []), key=lambda r: r.started)
        ok = [r for r in baseline if r.status == 200]
        add(
            f"baseline: every request answered 200: {_share(len(ok), len(baseline))}",
            bool(baseline) and len(ok) == len(baseline),
        )
        warmed = [r for r in baseline if r.group == "cached"]
        hits = [r for r in warmed if r.x_cache == "HIT"]
        add(
            f"baseline: warmed pages came from the cache (X-Cache: HIT): {_share(len(hits), len(warmed))}",
            bool(warmed) and len(hits) == len(warmed),
        )
        health = [r for r in outage if r.group == "health"]
        pages = [r for r in outage if r.group != "health"]
        limit = f"{OUTAGE_ANSWER_SECONDS:.0f} s"

        if name.startswith("db-"):
            cached = [r for r in pages if r.group == "cached"]
            served = [r for r in cached if r.status == 200]
            add(
                f"outage: cached pages served 200: {_share(len(served), len(cached))} ({_latency(cached)})"
                + _worst(cached),
                bool(cached) and len(served) == len(cached),
            )
            uncached = [r for r in pages if r.group == "uncached"]
            quick = [r for r in uncached if r.status == 503 and r.latency <= OUTAGE_ANSWER_SECONDS]
            add(
                f"outage: uncached requests answered 503 within {limit}: {_share(len(quick), len(uncached))}"
                + _worst(uncached),
                bool(uncached) and len(quick) == len(uncached),
            )
            fives = [r for r in pages if r.status == 503]
            whole = [r for r in fives if not r.missing_help]
            missing = _counts(m for r in fives for m in r.missing_help)
            add(
                "outage: every 503 page had the quick exit, 999, 101, CEOP, 0800 1111 and 0808 800 5000: "
                + _share(len(whole), len(fives))
                + (f" (missing: {missing})" if len(whole) < len(fives) else ""),
                bool(fives) and len(whole) == len(fives),
            )
            logged = [r for r in fives if r.request_id in log_ids]
            add(
                f"outage: every 503's X-Request-ID is in the app's log: {_share(len(logged), len(fives))}",
                len(logged) == len(fives),
            )
            down = [r for r in health if r.status == 503 and r.latency <= OUTAGE_ANSWER_SECONDS]
            add(
                f"outage: /healthz answered 503 within {limit}: {_share(len(down), len(health))}" + _worst(health),
                bool(health) and len(down) == len(health),
            )
            add(*_database_recovery(run, recovery, drill.args.recovery))
        else:
            served = [r for r in pages if r.status == 200]
            add(
                f"outage: every page answered 200: {_share(len(served), len(pages))}" + _worst(pages),
                bool(pages) and len(served) == len(pages),
            )
            quick = [r for r in pages if r.status is not None and r.latency <= OUTAGE_ANSWER_SECONDS]
            add(
                f"outage: every page answered within {limit}: {_share(len(quick), len(pages))} "
                f"({_latency(pages)}, against {_latency([r for r in baseline if r.group != 'health'])} before)",
                bool(pages) and len(quick) == len(pages),
            )
            reported = [r for r in health if r.status == 200 and r.health and not _cache_ok(r)]
            add(
                f"outage: /healthz answered 200 and reported the cache down: {_share(len(reported), len(health))}",
                bool(health) and len(reported) == len(health),
            )
            mark = next(m for m in drill.phases if m.name == f"{name}:outage")
            entries, _ = parse_log(read_log(drill.log_path, mark.log_offset, mark.log_end))
            warnings = [
                e
                for e in entries
                if e.get("level") in ("WARNING", "ERROR", "CRITICAL") and "redis" in json.dumps(e).lower()
            ]
            add(
                f"outage: Redis down warnings logged: {len(warnings)} "
                f"(once, not per request: at most one per worker process, so 1 to {workers})",
                1 <= len(warnings) <= workers,
            )
            add(*_cache_recovery(run, recovery, drill.args.recovery))
        add(
            f"gunicorn's worker processes were never replaced: {run.workers_before} then {run.workers_after}",
            bool(run.workers_before) and run.workers_before == run.workers_after,
        )
    return verdicts


def _worst(results: list[Result]) -> str:
    bad = [r for r in results if r.status is None or r.latency > OUTAGE_ANSWER_SECONDS]
    if not bad:
        return ""
    worst = max(bad, key=lambda r: r.latency)
    return (
        f"; {len(bad)} took over {OUTAGE_ANSWER_SECONDS:.0f} s, the slowest {worst.path} "
        f"({_status(worst)} in {worst.latency:.2f} s, asked at {worst.started:.2f} s)"
    )


def _database_recovery(run: ScenarioRun, recovery: list[Result], phase_seconds: float) -> tuple[str, bool]:
    """From which request on did everything that needs the database (the uncached pages and
    /healthz) answer 200, with every other request 200 from then on too?"""
    needs_database = [r for r in recovery if r.group != "cached"]
    since = _all_ok_since(needs_database, lambda r: r.status == 200)
    if since is None:
        failing = [r for r in needs_database if r.status != 200]
        last = failing[-1] if failing else None
        detail = f"last: {last.path} {_status(last)} at {last.started - run.back_at:+.1f} s" if last else "no requests"
        return f"recovery: still failing at the end of the {phase_seconds:.0f} s recovery phase ({detail})", False
    began = needs_database[since].started
    after = [r for r in recovery if r.started >= began]
    failures = [r for r in after if r.status != 200]
    built = [r for r in after if r.group == "uncached" and r.x_cache != "HIT"]
    healthy = [r for r in after if r.group == "health"]
    return (
        f"recovery: by itself, {began - run.back_at:.1f} s after PostgreSQL answered again; from then every "
        f"request 200: {_share(len(after) - len(failures), len(after))} ({len(built)} pages built from the "
        f"database, {len(healthy)} /healthz)",
        not failures and bool(built) and bool(healthy),
    )


def _cache_recovery(run: ScenarioRun, recovery: list[Result], phase_seconds: float) -> tuple[str, bool]:
    hits = [r for r in recovery if r.x_cache == "HIT" and r.started >= run.back_at]
    health_rows = [r for r in recovery if r.group == "health"]
    healthy = _all_ok_since(health_rows, _cache_ok)
    failures = [r for r in recovery if r.status != 200]
    first_hit = f"{hits[0].started - run.back_at:.1f} s" if hits else "never"
    cache_ok = f"{health_rows[healthy].started - run.back_at:.1f} s" if healthy is not None else "never"
    return (
        f"recovery: the cache in use again within the {phase_seconds:.0f} s recovery phase: first X-Cache HIT "
        f"{first_hit} after Redis answered, /healthz cache ok from {cache_ok}; non-200 answers: {len(failures)}",
        bool(hits) and healthy is not None and not failures,
    )


def _cache_ok(result: Result) -> bool:
    """Whether /healthz said the cache answers ("ok (redis)", or {"status": "ok"})."""
    said = (result.health or {}).get("cache", "")
    said = said.get("status", "") if isinstance(said, dict) else said
    return result.status == 200 and str(said).lower().startswith(("ok", "up"))


def _all_ok_since(results: list[Result], ok: Callable[[Result], bool]) -> int | None:
    """The index from which every result is ok, or None if the last one is not."""
    if not results or not ok(results[-1]):
        return None
    index = len(results)
    while index > 0 and ok(results[index - 1]):
        index -= 1
    return index


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", default="all", help="all, or a comma-separated list of: " + ", ".join(SCENARIOS))
    parser.add_argument("--baseline", type=float, default=5, help="seconds of normal running before each fault (5)")
    parser.add_argument("--outage", type=float, default=10, help="seconds each fault lasts (10)")
    parser.add_argument("--recovery", type=float, default=10, help="seconds watched after the part returns (10)")
    parser.add_argument("--rate", type=float, default=2, help="requests a second per path (2)")
    parser.add_argument(
        "--timeout", type=float, default=10, help="seconds a request may take before it counts as hung (10)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--requests", default="-", help="where each request's line goes: a file, or - for stdout (-)")
    parser.add_argument("--log-dir", help="folder for gunicorn's log (default: a new temporary folder, kept)")
    args = parser.parse_args()
    chosen = list(SCENARIOS) if args.scenario == "all" else [s.strip() for s in args.scenario.split(",")]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}: choose from all, {', '.join(SCENARIOS)}")
    chosen = [s for s in SCENARIOS if s in chosen]  # database first: Redis restarts empty

    folder = Path(args.log_dir) if args.log_dir else Path(tempfile.mkdtemp(prefix="drill-app-"))
    folder.mkdir(parents=True, exist_ok=True)
    out = sys.stdout if args.requests == "-" else open(args.requests, "w")  # noqa: SIM115
    with contextlib.ExitStack() as stack:
        pg = stack.enter_context(services.temporary_postgres())
        redis = stack.enter_context(services.temporary_redis())
        print(f"PostgreSQL on port {pg.port} ({pg.folder}), Redis on port {redis.port}", flush=True)
        env = services.app_environment(pg.url, redis.url)
        for command in (["migrate", "--noinput"], ["seed"], ["collectstatic", "--noinput"]):
            began = time.monotonic()
            services.manage(env, *command)
            print(f"manage.py {' '.join(command)}: {time.monotonic() - began:.1f} s", flush=True)
        app = stack.enter_context(services.gunicorn(env, workers=args.workers, threads=args.threads, folder=folder))
        # Registered last, so run first: nothing is left stopped when the servers shut down.
        stack.callback(redis.resume)
        stack.callback(pg.resume)
        log_path = folder / f"{app.name}.log"
        _wait_for_workers(app, args.workers)
        print(
            f"gunicorn on port {app.port}, {args.workers} workers x {args.threads} threads; its log: {log_path}",
            flush=True,
        )
        print(
            f"scenarios: {', '.join(chosen)}; {args.rate:g} requests a second per path, timeout {args.timeout:g} s\n",
            flush=True,
        )
        drill = Drill(args, pg, redis, app, log_path, out)
        drill.run(chosen)
        time.sleep(0.5)  # the last access lines reach the log
        drill.phases[-1].log_end = log_path.stat().st_size
        verdicts = report(drill, args.workers)
    if out is not sys.stdout:
        out.close()
    failed = [v for v in verdicts if not v.held]
    print(f"\n{len(verdicts) - len(failed)} of {len(verdicts)} expectations held; gunicorn's log: {log_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
