"""Page growth: what each public page costs uncached, on today's data and on 100 times today's figures.

    .venv/bin/python bench/page_growth.py
    .venv/bin/python bench/page_growth.py --today-db grooming_bench_x1 --big-db grooming_bench_x100
    .venv/bin/python bench/page_growth.py --runs 7 --requests 10 /platforms/ /map/

A page whose cost grows with the data rather than with what it shows stands out in the ratio
column: issue 12 asks every page to stay within 1.5 times. Two throwaway gunicorn servers
(bench/services.py: production settings, PAGE_CACHE=0, one process of one thread each), one on
each database, both running for the whole measurement so that the two sides are timed
alternately in the same conditions. Each page is requested over one keep-alive connection,
`--requests` times a round, for `--runs` rounds; the figure is the median of the rounds'
medians. The query count and the HTML's size come from Django's test client in a process of
their own on each database (CaptureQueriesContext, the same settings). The databases are made
by bench/generate_data.py when missing. It measures, it does not judge: it exits 0.

The client shares the machine with gunicorn and PostgreSQL: compare figures from one run.
"""

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services import PROJECT, PYTHON, app_environment, collect_static, generated_database, gunicorn, print_table

SERVER = "postgres://postgres@127.0.0.1:5432"
MEDIA = Path(tempfile.gettempdir()) / "grooming-bench-media"
# Its own collected static files: production settings serve hashed names only, and the project's
# staticfiles/ may be in use by another benchmark.
STATIC_ROOT = Path(tempfile.gettempdir()) / "page-growth-static"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", help="paths to measure (default: every public page)")
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL, no database (default {SERVER})")
    parser.add_argument("--today-db", default="grooming_bench_x1", help="today's data (made if missing)")
    parser.add_argument("--big-db", default="grooming_bench_x100", help="100 times today's figures (made if missing)")
    parser.add_argument("--runs", type=int, default=5, help="rounds of each page on each database (default 5)")
    parser.add_argument("--requests", type=int, default=7, help="requests of a page in a round (default 7)")
    parser.add_argument("--count-queries", help=argparse.SUPPRESS)  # the child process: a database URL
    args = parser.parse_args()
    pages = args.pages or _public_pages()
    if args.count_queries:
        print(json.dumps(_count_queries(pages)))
        return

    databases = {
        "1x": generated_database(args.server, args.today_db, times=1),
        "100x": generated_database(args.server, args.big_db, times=100),
    }
    envs = {label: _environment(url) for label, url in databases.items()}
    collect_static(envs["1x"])
    counts = {label: _queries_of(env, pages) for label, env in envs.items()}
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} cores; PAGE_CACHE=0; one gunicorn process of one")
    print(f"thread per database; medians of {args.runs} rounds of {args.requests} requests, the two alternately.\n")
    timings: dict[str, dict[str, list[float]]] = {label: {page: [] for page in pages} for label in envs}
    with contextlib.ExitStack() as stack:
        apps = {label: stack.enter_context(_app(env)) for label, env in envs.items()}
        for app in apps.values():
            for page in pages:  # templates, connection, place index: every first request's work
                _time(app.port, page, 3)
        for _ in range(args.runs):
            for page in pages:
                for label, app in apps.items():
                    timings[label][page].append(statistics.median(_time(app.port, page, args.requests)))
    rows = []
    for page in pages:
        small, big = (statistics.median(timings[label][page]) for label in ("1x", "100x"))
        (q1, kb1), (q100, kb100) = counts["1x"][page], counts["100x"][page]
        rows.append(
            [page, f"{small:.1f}", f"{big:.1f}", f"{big / small:.2f}", "ok" if big / small <= 1.5 else "GROWS",
             f"{q1} / {q100}", f"{kb1:,.0f} / {kb100:,.0f}"]
        )  # fmt: skip
    print_table(["page", "ms at 1x", "ms at 100x", "100x/1x", "<= 1.5", "queries 1x / 100x", "KB 1x / 100x"], rows)


def _public_pages() -> list[str]:
    from tests.pages import PUBLIC_PAGES  # the list the query-count and page tests walk

    return PUBLIC_PAGES


def _environment(database_url: str) -> dict[str, str]:
    name = database_url.rsplit("/", 1)[1]
    return app_environment(
        database_url,
        "",
        PAGE_CACHE="0",
        MEDIA_ROOT=str(MEDIA / name),
        STATIC_ROOT=str(STATIC_ROOT),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        API_RATE_LIMIT="1000000000",
        LOG_LEVEL="WARNING",
    )


@contextlib.contextmanager
def _app(env: dict[str, str]):
    with (
        tempfile.TemporaryDirectory(prefix="page-growth-app-") as folder,
        gunicorn(env, workers=1, threads=1, folder=Path(folder)) as app,
    ):
        yield app


def _time(port: int, page: str, requests: int) -> list[float]:
    """Milliseconds for each of `requests` GETs of `page` over one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    took = []
    try:
        for _ in range(requests):
            started = time.perf_counter()
            connection.request("GET", page)
            response = connection.getresponse()
            response.read()
            took.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return took


def _queries_of(env: dict[str, str], pages: list[str]) -> dict[str, tuple[int, float]]:
    """{page: (queries, KB of HTML)} on one database, from a process of its own."""
    command = [str(PYTHON), __file__, "--count-queries", env["DATABASE_URL"], *pages]
    done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, check=True)
    return {page: tuple(found) for page, found in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def _count_queries(pages: list[str]) -> dict[str, tuple[int, float]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    found = {}
    for page in pages:
        client.get(page)  # a process's first request of a page reads what it keeps (place index, versions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        found[page] = (len(queries), len(response.content) / 1000)
    return found


if __name__ == "__main__":
    main()
