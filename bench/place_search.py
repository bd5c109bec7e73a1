"""Search benchmark: how long /areas/?q= takes for every kind of query, uncached, and how much a
process's memory grows for holding the place index.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/grooming_bench .venv/bin/python bench/place_search.py

The database named is created, migrated and seeded if needed (never the test database). Each
query is asked through Django's test client with the page cache off, as a visitor's first
request for it would be: the view, the search and the page, after one warm-up request that
builds the index (once per process). It prints the median and 95th percentile of each kind and
the index's memory; it measures, it does not fail. Targets: under 20 ms at p50, under 30 MB.
"""

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grooming_bench")
os.environ.setdefault("PAGE_CACHE", "0")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from bench.services import create_database
from stats.models import PlaceName
from stats.place_search import forget_index, place_index

QUERIES = {
    "full postcode": ["B15 2TT", "ls63ht", "CF10 1EP", "BT1 1AA"],
    "split sector's postcode": ["SY10 7AB", "SY10 9AA"],
    "split district": ["SY10", "B14 5"],
    "district": ["B15", "M1"],
    "place, one force": ["Sutton Coldfield", "Kidderminster", "Glasgow", "Llandudno"],
    "place, several forces": ["Newport", "Richmond", "Stoke"],
    "misspelt place": ["Bettws-y-Coed", "birmingam"],
    "miss": ["ZZ99 9ZZ", "xyzzyplugh", "JE2 3AB"],
}


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50, help="requests per query (default 50)")
    args = parser.parse_args()
    create_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    if not PlaceName.objects.exists():
        call_command("seed", verbosity=0)

    # The resident memory a process gains for the index, as a server worker would (measured first,
    # without tracemalloc, which adds its own); then what the index itself holds, built again.
    forget_index()
    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    place_index()
    built = time.perf_counter() - started
    gc.collect()
    grown = resident_mb() - before
    forget_index()
    gc.collect()
    tracemalloc.start()
    place_index()
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"place index: built in {built * 1000:.0f} ms; the process grew by {grown:.1f} MB (target under 30); "
          f"the index holds {held / 1e6:.1f} MB, {peak / 1e6:.1f} MB at most while built")  # fmt: skip

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'kind':<26}{'p50 ms':>8}{'p95 ms':>8}  (each of {args.runs} requests, page cache off)")
    for kind, queries in QUERIES.items():
        times = []
        for query in queries:
            client.get("/areas/", {"q": query})  # the view's own first-call costs, not the search's
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get("/areas/", {"q": query})
                times.append(time.perf_counter() - started)
                if response.status_code not in (200, 302):
                    sys.exit(f"{query!r} answered {response.status_code}")
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{kind:<26}{statistics.median(times) * 1000:>8.1f}{p95 * 1000:>8.1f}")


if __name__ == "__main__":
    main()
