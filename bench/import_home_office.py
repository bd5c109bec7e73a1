"""Import benchmark: a Home Office open data table of 1,000,000 rows, validated and published,
timed against PostgreSQL's own COPY of the same file into a plain table. The table is made up
but shaped like the real one (stats/seed/home_office/prc-pfa-2017-18.csv): see generate().

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/grooming_bench .venv/bin/python bench/import_home_office.py

The database named is created, migrated and seeded if needed (never the test database).
The target: validate + publish in at most 3 times COPY's time, with peak memory under 300 MB.
It prints both times, the ratio and the peak memory; it measures, it does not fail.
Latest medians of 3 (2 cores): COPY 0.57 s; validate 1.22 s + publish 0.23 s = 1.45 s, 2.56 x COPY; 74 MB.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grooming_bench")

import django

django.setup()

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.services import create_database
from stats.importers.home_office import COLUMNS
from stats.models import Geography, Release
from stats.publishing import read_file
from stats.releases import Entry, SourceDetails, publish, withdraw

TITLE = "Benchmark: generated police recorded crime open data table"


# What the real table (stats/seed/home_office/prc-pfa-2017-18.csv) holds that a made-up one
# might not: bodies that police no area, codes with dots, slashes and spaces, a combined code
# on one row for each offence it joins, counts written with spaces around them, zeros written
# -00 (a quarter of its rows), and a few negative adjustments (36 of 23,068 rows).
BODIES = ["British Transport Police", "Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK"]
REAL_CODES = ["37.1", "4.10", "802", "AF", "CIFAS", "FFA UK", "UK Finance"]
COMBINED_CODE = "1/4.1/4.10/4.2"  # Homicide: 4 rows for each force and quarter
ZERO_SHARE, NEGATIVE_SHARE = 0.25, 0.0016


def generate(path: Path, rows: int) -> None:
    """Every force and body, every quarter, many offence codes, 88A among them, written as the Home Office writes."""
    forces = [*Geography.objects.exclude(home_office_force_name="").values_list("home_office_force_name", flat=True)]
    forces += BODIES
    codes = ["88A", COMBINED_CODE, *REAL_CODES]
    codes += [f"{n}{letter}" for n in range(1, 200) for letter in "ABC" if f"{n}{letter}" not in codes]
    random.seed(2026)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        written, year = 0, 2000
        while written < rows:
            label = f"{year}/{(year + 1) % 100:02d}"
            for code in codes:
                for force in forces:
                    for quarter in (1, 2, 3, 4):
                        for _ in range(4 if code == COMBINED_CODE else 1):
                            if written == rows:
                                return
                            writer.writerow(
                                [label, quarter, force, f"Offence {code}", "Group", "Subgroup", code, _count(code)]
                            )
                            written += 1
            year += 1


def _count(code: str) -> str:
    chance = random.random()
    if chance < ZERO_SHARE:
        return "-00 "
    if chance < ZERO_SHARE + NEGATIVE_SHARE and code != "88A":  # no 88A quarter of the real table is negative
        return f"-{random.randint(1, 3)} "
    return f" {random.randint(1, 400)} "


def copy_seconds(path: Path) -> float:
    db = settings.DATABASES["default"]
    connect = {"dbname": db["NAME"], "user": db["USER"], "host": db["HOST"], "port": db["PORT"] or 5432}
    with psycopg2.connect(**connect) as conn, conn.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (financial_year text, financial_quarter int,"
            " force_name text, offence_description text, offence_group text, offence_subgroup text,"
            " offence_code text, number_of_offences int)"
        )
        started = time.perf_counter()
        with path.open(encoding="utf-8") as handle:
            cursor.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
        conn.commit()
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    create_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    if not Geography.objects.exists():
        call_command("seed", verbosity=0)
    for release in Release.objects.filter(figures__source__title=TITLE, withdrawn_by=None).distinct():
        withdraw(release=release, reason="Benchmark: a fresh publish every run")
    connection.close()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "open-data.csv"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1_000_000
        copy = copy_seconds(path)

        settings.UPLOAD_MAX_BYTES = max(settings.UPLOAD_MAX_BYTES, path.stat().st_size + 1)
        started = time.perf_counter()
        result = read_file(path, "home-office")
        validated = time.perf_counter() - started
        if not result.ok:
            sys.exit("The generated file did not validate: " + "; ".join(map(str, result.errors[:5])))
        details = SourceDetails("Home Office", TITLE, "2026-07")
        release, changes = publish(
            entries=[Entry(row, details) for row in result.rows], kind="upload", summary="Import benchmark"
        )
        ours = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"file: {args.rows:,} rows, {size_mb:.0f} MB")
    print(f"PostgreSQL COPY into a plain table: {copy:.2f} s")
    print(f"validate + publish:                 {ours:.2f} s", end=" ")
    print(f"(validate {validated:.2f} s, publish {ours - validated:.2f} s)")
    print(f"ratio: {ours / copy:.2f} x COPY (target: at most 3)")
    print(f"release {release.number}: {changes.new} new, {changes.changed} changed; rows read {result.rows_read:,}")
    print(f"notes: {'; '.join(result.notes)}")
    print(f"peak memory of this process: {peak_mb:.0f} MB (target: under 300 MB)")


if __name__ == "__main__":
    main()
