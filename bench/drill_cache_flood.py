"""Junk query strings against the page cache, then PostgreSQL stopped (issue 23).

    .venv/bin/python bench/drill_cache_flood.py                        # 20,000 junk requests
    .venv/bin/python bench/drill_cache_flood.py --requests 4000 --maxmemory 8mb
    .venv/bin/python bench/drill_cache_flood.py --policy allkeys-lru   # the policy the docs warn against

It starts its own PostgreSQL and Redis on spare ports (bench/services.py; never the machine's
own), Redis with a small --maxmemory and `--maxmemory-policy volatile-lru` as docs/deploy.md
asks, migrates and seeds the database, and runs gunicorn with the page cache on. Then:

1. it asks for the pages an outage needs (/, /report/, /advice/ and one area page), so they
   are in the cache, and keeps what each one said;
2. it floods the site from several threads with junk anyone could send: unknown parameters
   (`/?x=<random>`), repeated ones (`/trends/?offence=<a>&offence=<b>`), random values of known
   ones (`/trends/?geography=<random>`), and junk on a download and on the area page;
3. it restarts gunicorn's workers (SIGHUP, as a deploy or max_requests would), so what follows
   comes from Redis and not from a worker's own memory, and stops PostgreSQL;
4. it asks for each outage page several times.

It prints the flood's size, speed and answers, Redis's memory, keys and evicted keys before
and after, and each outage page's answers. It passes (exit 0) only if every one of those was a
200 from the cache (X-Cache: HIT) whose body is the page served before the flood, byte for
byte (so not the "service unavailable" page, which offers the helplines too); otherwise it
exits 1, and the table shows the <title> of what came instead.
"""

import argparse
import re
import secrets
import signal
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

import services
from drill_load import fetch

AREA = "E23000014"
OUTAGE_PAGES = ["/", "/report/", "/advice/", f"/areas/{AREA}/"]
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
TIMEOUT = 10.0


def junk(number: int, area: str) -> tuple[str, str]:
    """The number-th junk request: its kind and its address, each address new."""
    token = secrets.token_hex(5)
    kinds = [
        ("unknown parameter", f"/?x={token}"),
        ("repeated parameter", f"/trends/?offence={token}&offence={token[::-1]}"),
        ("random known value", f"/trends/?geography={token}"),
        ("junk on a download", f"/data/figures.csv?x={token}"),
        ("junk on an area", f"/areas/{area}/?utm_source={token}"),
    ]
    return kinds[number % len(kinds)]


def flood(port: int, count: int, clients: int, area: str) -> tuple[float, dict[str, Counter]]:
    """`count` junk requests from `clients` threads; seconds taken and answers by kind."""
    answers: dict[str, Counter] = {}
    lock = threading.Lock()

    def one(number: int) -> None:
        kind, path = junk(number, area)
        status, error, headers, _ = fetch(port, path, TIMEOUT)
        with lock:
            answers.setdefault(kind, Counter())[f"{status or error} {headers.get('x-cache', '-')}"] += 1

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(count)))
    return time.monotonic() - began, answers


def redis_state(client: redis.Redis) -> dict[str, int]:
    return {
        "used_memory": client.info("memory")["used_memory"],
        "keys": client.dbsize(),
        "evicted_keys": client.info("stats")["evicted_keys"],
    }


def title_of(text: str) -> str:
    found = TITLE.search(text)
    return " ".join(found.group(1).split()) if found else ""


def restart_workers(app: services.Server, workers: int, seconds: float = 60) -> None:
    """SIGHUP: gunicorn starts new workers and retires the old; wait until only new ones run."""
    old = set(services.process_tree(app.process.pid)[1:])
    app.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = set(services.process_tree(app.process.pid)[1:])
        if len(now) == workers and not now & old:
            time.sleep(1)  # the new workers have imported the app
            return
        time.sleep(0.2)
    raise TimeoutError(f"gunicorn's workers were not replaced within {seconds} s")


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return False


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20_000, help="junk requests in the flood (20000)")
    parser.add_argument("--clients", type=int, default=8, help="threads sending them (8)")
    parser.add_argument("--maxmemory", default="16mb", help="Redis's maxmemory (16mb)")
    parser.add_argument("--policy", default="volatile-lru", help="Redis's maxmemory-policy (volatile-lru)")
    parser.add_argument("--repeats", type=int, default=5, help="times each outage page is asked (5)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if args.requests < 0 or args.clients < 1 or args.repeats < 1:
        parser.error("--requests must be 0 or more, --clients and --repeats at least 1")

    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; Redis maxmemory {args.maxmemory}, {args.policy}; gunicorn"
        f" {args.workers} workers x {args.threads} threads; {args.requests} junk requests from {args.clients} threads"
    )
    redis_flags = ["--maxmemory", args.maxmemory, "--maxmemory-policy", args.policy]
    with (
        services.temporary_postgres() as postgres,
        services.temporary_redis(extra_args=redis_flags) as cache_server,
        tempfile.TemporaryDirectory(prefix="cache-flood-") as work,
    ):
        env = services.app_environment(
            postgres.url, cache_server.url, PAGE_CACHE="1", STATIC_ROOT=str(Path(work) / "static"), LOG_LEVEL="WARNING"
        )
        for command in (["migrate", "--noinput"], ["seed"], ["collectstatic", "--noinput"]):
            services.manage(env, *command)
        client = redis.Redis(port=cache_server.port)
        app_folder = Path(tempfile.mkdtemp(prefix="drill-app-"))  # kept: its log
        with services.gunicorn(env, workers=args.workers, threads=args.threads, folder=app_folder) as app:
            pages = {}  # what each outage page said with the database up
            for path in OUTAGE_PAGES:
                for _ in range(2):
                    status, error, headers, text = fetch(app.port, path, TIMEOUT)
                pages[path] = text if status == 200 else ""
                print(f"warm {path}: {status or error} X-Cache={headers.get('x-cache', '-')} <title>{title_of(text)}")
            before = redis_state(client)

            seconds, answers = flood(app.port, args.requests, args.clients, AREA)
            after = redis_state(client)
            print(f"\nFlood: {args.requests} requests in {seconds:.1f} s, {args.requests / seconds:.0f} requests/s\n")
            table(
                ["kind", "requests", "answers (status X-Cache)"],
                [[kind, str(sum(c.values())), ", ".join(f"{k} x{n}" for k, n in c.most_common())]
                 for kind, c in answers.items()],
            )  # fmt: skip
            print(f"\nRedis ({args.maxmemory}, {args.policy})\n")
            table(
                ["", "used_memory", "keys", "evicted_keys"],
                [[when, megabytes(state["used_memory"]), str(state["keys"]), str(state["evicted_keys"])]
                 for when, state in (("before the flood", before), ("after the flood", after))],
            )  # fmt: skip

            restart_workers(app, args.workers)
            postgres.stop()
            database_down = refused(postgres.port)
            print(f"\ngunicorn's workers restarted; PostgreSQL stopped (connection refused: {database_down})\n")
            rows, failures = [], 0
            for path in OUTAGE_PAGES:
                seen, ok = Counter(), 0
                for _ in range(args.repeats):
                    status, error, headers, text = fetch(app.port, path, TIMEOUT)
                    served = (
                        status == 200 and headers.get("x-cache") == "HIT" and bool(pages[path]) and text == pages[path]
                    )
                    ok += served
                    body = "the page" if served else repr(title_of(text)[:50] or "no title")
                    seen[f"{status or error} {headers.get('x-cache', '-')} {body}"] += 1
                failures += args.repeats - ok
                verdict = "PASS" if ok == args.repeats else "FAIL"
                rows.append([verdict, path, ", ".join(f"{k} x{n}" for k, n in seen.most_common())])
            table(["", "outage page", "answers (status X-Cache body)"], rows)
    if not database_down:
        print("\nFAIL: the harness did not stop PostgreSQL, so the outage proved nothing")
        return 1
    print(
        f"\n{'PASS' if not failures else 'FAIL'}: {len(OUTAGE_PAGES) * args.repeats - failures} of"
        f" {len(OUTAGE_PAGES) * args.repeats} outage requests answered 200 from the cache with the real page"
        f" (gunicorn's log: {app_folder})"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
