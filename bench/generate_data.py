"""Benchmark data: today's figures, or N times as many, in a database of their own.

    .venv/bin/python bench/generate_data.py                       # 100 times today's, into grooming_bench_x100
    .venv/bin/python bench/generate_data.py --times 1             # today's: the seed plus a Home Office table
    .venv/bin/python bench/generate_data.py --database grooming_big --replace

"Today's figures" are the seed data plus one Home Office open data table (four financial
years, 2021/22 to 2024/25, every force and quarter, 88A among 30 offence codes) imported
through the real importer and publish service, as an admin's upload would be.

For more than that, the data grows the way a few more years of publishing would make it grow:
more periods (financial years back to when they are needed), every area rather than a few,
more offences and measures, a source for every annual release and for the news reports
that came before it, and many revisions. Each annual release restates last year's figures
(the news reports' figures and most of the official ones), so about a third of the rows are
revisions; a few figures are corrected and one mistaken release is withdrawn. Everything is
published through stats.releases, so every invariant (one current row per series, status
spans, changes, release files) holds exactly as it does for real data.

It is deterministic: a fixed random seed, and the same releases in the same order (only the
release dates, which are "now", differ between runs). Release files go to a media folder of
the database's own (--media-root), never the project's media/, whose release numbers belong
to another database. It prints what it made.
"""

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SERVER = "postgres://postgres@127.0.0.1:5432"
SEED = 2026
HOME_OFFICE_YEARS = (2021, 2022, 2023, 2024)  # the table "today" holds: financial years 2021/22 to 2024/25
LATEST_YEAR = 2025  # the latest financial year with a release (2025/26, published July 2026)
GENERATED = "generated benchmark data"  # in every generated name, so nobody mistakes it for real figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--times", type=int, default=100, help="how many times today's figures (default 100)")
    parser.add_argument("--database", help="database name (default grooming_bench_x<times>)")
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL, no database (default {SERVER})")
    parser.add_argument("--replace", action="store_true", help="drop the database first if it exists")
    parser.add_argument(
        "--media-root", help="where release files go (default: a folder named for the database in /tmp)"
    )
    args = parser.parse_args()
    name = args.database or f"grooming_bench_x{args.times}"
    media = Path(args.media_root or Path(tempfile.gettempdir()) / "grooming-bench-media" / name)
    os.environ["DATABASE_URL"] = f"{args.server.rstrip('/')}/{name}"
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    # A release's files are written after it commits, and can take a while at 100 times the data.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "600000")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    started = time.perf_counter()
    _create_database(args.server, name, replace=args.replace)
    import django

    django.setup()
    generator = Generator(times=args.times)
    generator.run()
    generator.analyze()
    print(f"database: {name}   media: {media}   ({time.perf_counter() - started:.0f} s)")
    print_counts()


def _create_database(server: str, name: str, *, replace: bool) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{server.rstrip('/')}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is not None:
            if not replace:
                sys.exit(f"The database {name} exists already: give --replace to drop it, or another --database.")
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


# The shape of the data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str
    level: str
    parent: str


@dataclass(frozen=True)
class NewOffence:
    slug: str
    name: str
    share: float  # of a force's grooming count, roughly


# Offences beyond the seed's: related sexual offences against children, as a wider dashboard would add.
NEW_OFFENCES = [
    NewOffence("causing-a-child-to-watch-a-sexual-act", "Causing a child to watch a sexual act", 0.6),
    NewOffence("arranging-a-child-sex-offence", "Arranging or facilitating a child sex offence", 0.3),
    NewOffence("indecent-images-of-children", "Taking, making or sharing indecent images of children", 3.0),
    NewOffence("sexual-exploitation-of-a-child", "Sexual exploitation of a child", 0.4),
]
YEARLY_OFFENCES = ["sexual-communication-with-a-child", "sexual-grooming", *(o.slug for o in NEW_OFFENCES)]
COUNT_MEASURES = ["offences-recorded", "charge-or-summons", "offences-with-platform-recorded"]
NEW_MEASURES = [  # (slug, name, unit, description)
    ("suspects-identified", "Suspects identified", "count", "Offences for which police identified a suspect."),
    ("victims-under-13", "Victims aged under 13", "count", "Offences where the victim was aged 12 or under."),
]
SHARE_PLATFORMS = ["snapchat", "instagram", "facebook", "whatsapp", "kik"]
RESTATED_SHARE = 0.8  # of last year's official figures, restated by this year's release
NEWS_PER_YEAR = 8  # local news reports of a force's figures, months before the official release


class Generator:
    def __init__(self, *, times: int) -> None:
        self.times = times
        self.random = random.Random(SEED)
        self.last_year: dict[tuple, Decimal] = {}  # series key -> value in the latest official release

    def run(self) -> None:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed", verbosity=0, stdout=io.StringIO())
        self.import_home_office_table()
        if self.times <= 1:
            return
        from stats.models import Figure

        target = Figure.objects.count() * self.times
        self.add_reference_data()
        self.areas = self._areas()
        years = self._years_needed(target - Figure.objects.count())
        print(f"target {target:,} figures: releases for the financial years {_label(years[0])} to {_label(years[-1])}")
        for year in years:
            self.publish_news_reports(year)
            self.publish_annual_release(year)
        self.correct_some_figures(5)
        self.publish_and_withdraw_a_mistake()

    def analyze(self) -> None:
        """Up-to-date planner statistics and visibility map, as autovacuum would soon give a real database: without
        them PostgreSQL plans for empty tables and the first benchmark measures the wrong plans."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # Today's data --------------------------------------------------------------------------

    def import_home_office_table(self) -> None:
        """Four financial years of the Home Office table, as an admin would upload it."""
        from stats.models import Geography
        from stats.publishing import read_file
        from stats.releases import Entry, SourceDetails, describe, publish

        forces = list(
            Geography.objects.exclude(home_office_force_name="").values_list("home_office_force_name", flat=True)
        )
        forces += ["British Transport Police", "Action Fraud"]
        codes = ["88A", *(f"{n}{letter}" for n in range(1, 11) for letter in "ABC")][:30]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "prc-pfa-open-data.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(
                    ["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
                     "Offence Subgroup", "Offence Code", "Number of Offences"]
                )  # fmt: skip
                for year in HOME_OFFICE_YEARS:
                    label = _label(year)
                    for code in codes:
                        for force in forces:
                            for quarter in (1, 2, 3, 4):
                                count = self.random.randint(5, 150) if code == "88A" else self.random.randint(0, 900)
                                writer.writerow(
                                    [label, quarter, force, f"Offence {code}", "Group", "Subgroup", code, count]
                                )
            result = read_file(path, "home-office")
        if not result.ok:
            sys.exit("The generated Home Office table did not validate: " + "; ".join(map(str, result.errors[:5])))
        details = SourceDetails(
            "Home Office",
            f"Police recorded crime open data tables, 2021/22 to 2024/25 ({GENERATED})",
            "2025-07",
            "https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
        )
        publish(entries=[Entry(row, details) for row in result.rows], kind="upload", summary=describe)

    # More of everything --------------------------------------------------------------------

    def add_reference_data(self) -> None:
        """Offences and measures a wider dashboard would have. Reference data is an admin's to add
        (in the admin), not the publish service's; figures are still only published."""
        from stats.models import Measure, Offence

        for offence in NEW_OFFENCES:
            Offence.objects.get_or_create(
                slug=offence.slug,
                defaults={
                    "name": offence.name,
                    "description": f"{offence.name} ({GENERATED}).",
                    "legal_basis": "Sexual Offences Act 2003",
                    "in_force": dt.date(2004, 5, 1),
                },
            )
        for slug, name, unit, description in NEW_MEASURES:
            Measure.objects.get_or_create(slug=slug, defaults={"name": name, "unit": unit, "description": description})

    def _areas(self) -> list[Area]:
        from stats.models import Geography

        return [
            Area(g.code, g.level, g.parent.code if g.parent else "")
            for g in Geography.objects.select_related("parent").order_by("code")
        ]

    def _years_needed(self, figures: int) -> list[int]:
        """Enough financial years, ending with the latest, to add about this many figures."""
        first, later = self._rows_per_year()
        count = 1 + max(0, round((figures - first) / later))
        return list(range(LATEST_YEAR - count + 1, LATEST_YEAR + 1))

    def _rows_per_year(self) -> tuple[float, float]:
        """Rows added by the first year's releases, and by each later year's (which restate the year before)."""
        areas = len(self.areas)
        nationals = sum(1 for a in self.areas if a.level == "country")
        measures = len(COUNT_MEASURES) + len(NEW_MEASURES)
        official = areas * len(YEARLY_OFFENCES) * measures + nationals * len(YEARLY_OFFENCES) * len(SHARE_PLATFORMS)
        news = NEWS_PER_YEAR * 2
        restated = official - nationals * len(YEARLY_OFFENCES) * len(SHARE_PLATFORMS)
        return official + news, official + news + restated * RESTATED_SHARE

    # Values ---------------------------------------------------------------------------------

    def _force_values(self, year: int) -> dict[tuple[str, str, str], Decimal]:
        """(force code, offence, measure) -> a plausible count for the year; areas above add them up."""
        values = {}
        growth = 1.08 ** (year - 2017)
        for area in self.areas:
            if area.level != "police_force_area":
                continue
            size = self.random.uniform(20, 400)
            for offence in YEARLY_OFFENCES:
                share = next((o.share for o in NEW_OFFENCES if o.slug == offence), 1.0)
                recorded = max(1, round(size * share * growth * self.random.uniform(0.85, 1.15)))
                values[(area.code, offence, "offences-recorded")] = recorded
                values[(area.code, offence, "charge-or-summons")] = round(recorded * self.random.uniform(0.03, 0.15))
                values[(area.code, offence, "offences-with-platform-recorded")] = round(
                    recorded * self.random.uniform(0.5, 0.8)
                )
                values[(area.code, offence, "suspects-identified")] = round(recorded * self.random.uniform(0.3, 0.6))
                values[(area.code, offence, "victims-under-13")] = round(recorded * self.random.uniform(0.1, 0.3))
        return {key: Decimal(value) for key, value in values.items()}

    def _all_areas(self, force_values: dict) -> dict[tuple[str, str, str], Decimal]:
        """Every area's value: a region, nation or country is the sum of the forces under it;
        the United Kingdom adds an estimate for Scotland and Northern Ireland."""
        children: dict[str, list[str]] = {}
        for area in self.areas:
            children.setdefault(area.parent, []).append(area.code)
        values = dict(force_values)

        def total(code: str, offence: str, measure: str) -> Decimal:
            if (code, offence, measure) not in values:
                values[(code, offence, measure)] = sum(
                    (total(child, offence, measure) for child in children.get(code, [])), Decimal(0)
                )
            return values[(code, offence, measure)]

        for area in self.areas:
            for offence in YEARLY_OFFENCES:
                for measure in [*COUNT_MEASURES, *(m[0] for m in NEW_MEASURES)]:
                    total(area.code, offence, measure)
        for key in [k for k in values if k[0] == "K02000001"]:
            values[key] = (values[key] * Decimal("1.09")).quantize(Decimal(1))
        return values

    # Releases -------------------------------------------------------------------------------

    def publish_news_reports(self, year: int) -> None:
        """Local papers report a force's figures from a freedom-of-information request, months
        before the official release restates them: small sources, soon revisions."""
        from stats.releases import Entry, SourceDetails, publish

        forces = [a.code for a in self.areas if a.level == "police_force_area"]
        published = dt.date(year + 1, 1, 10)
        for n, code in enumerate(self.random.sample(forces, NEWS_PER_YEAR)):
            value = Decimal(self.random.randint(10, 400))
            details = SourceDetails(
                f"Local Newspaper {n + 1} ({GENERATED})",
                f"Online grooming reports rise in {code}, {_label(year)}",
                (published + dt.timedelta(days=n)).isoformat(),
                f"https://news.example/{year}/{code}",
            )
            rows = [
                _row(
                    code,
                    year,
                    "sexual-communication-with-a-child",
                    "offences-recorded",
                    value,
                    note="From an FOI request.",
                ),
                _row(code, year, "sexual-grooming", "offences-recorded", value + 3, note="From an FOI request."),
            ]
            publish(entries=[Entry(row, details) for row in rows], kind="upload", summary=f"News report, {code}")

    def publish_annual_release(self, year: int) -> None:
        """One official release: the year's figures for every area, and last year's restated."""
        from stats.releases import Entry, SourceDetails, describe, publish

        values = self._all_areas(self._force_values(year))
        rows = [_row(code, year, offence, measure, value) for (code, offence, measure), value in values.items()]
        for code in ("K02000001", "K04000001"):
            for offence in YEARLY_OFFENCES:
                for platform in SHARE_PLATFORMS:
                    share = Decimal(str(round(self.random.uniform(2, 45), 1)))
                    rows.append(_row(code, year, offence, "platform-share", share, platform=platform))
        restated = [
            _row(code, y, offence, measure, _restated(value, self.random))
            for (code, y, offence, measure), value in self.last_year.items()
            if self.random.random() < RESTATED_SHARE
        ]
        self.last_year = {(code, year, offence, measure): value for (code, offence, measure), value in values.items()}
        details = SourceDetails(
            f"Office for Police Statistics ({GENERATED})",
            f"Online child sexual offences, year ending March {year + 1}",
            f"{year + 1}-07-{10 + year % 15:02d}",
            f"https://statistics.example/online-child-sexual-offences/{year + 1}",
            coverage="43 police force areas of England and Wales; UK figures include Scotland and Northern Ireland.",
        )
        publish(entries=[Entry(row, details) for row in rows + restated], kind="upload", summary=describe)

    def correct_some_figures(self, count: int) -> None:
        """An admin corrects a few typed-in values from the same source."""
        from stats.models import Figure
        from stats.publishing import corrected_row
        from stats.releases import correct_figure

        candidates = list(
            Figure.objects.current().with_provenance().filter(unit="count", value__gt=10).order_by("pk")[:2000]
        )
        for figure in self.random.sample(candidates, count):
            row = corrected_row(figure, value=str(figure.value + 1), note=figure.note)
            correct_figure(figure=figure, row=row, reason="The value was typed in wrongly (benchmark data).")

    def publish_and_withdraw_a_mistake(self) -> None:
        from stats.releases import Entry, SourceDetails, publish, withdraw

        details = SourceDetails(f"Someone ({GENERATED})", "A file uploaded by mistake", f"{LATEST_YEAR + 1}-08-01")
        forces = [a.code for a in self.areas if a.level == "police_force_area"][:20]
        rows = [_row(code, LATEST_YEAR, "sexual-grooming", "offences-recorded", Decimal(999)) for code in forces]
        release, _ = publish(entries=[Entry(row, details) for row in rows], kind="upload", summary="A mistaken upload")
        withdraw(release=release, reason="Uploaded by mistake (benchmark data).")


def _restated(value: Decimal, chance: random.Random) -> Decimal:
    """A later count for the same year: a few per cent either way, and never the same (that restates nothing)."""
    later = (value * Decimal(str(chance.uniform(0.95, 1.08)))).quantize(Decimal(1))
    return later if later != value else value + 1


def _row(code: str, year: int, offence: str, measure: str, value: Decimal, *, platform: str = "", note: str = ""):
    from stats import spans
    from stats.importers.tidy import FigureRow, PeriodSpan

    unit = "percent" if measure == "platform-share" else "count"
    return FigureRow(
        geography_code=code,
        period=PeriodSpan(*spans.financial_year(year), spans.FINANCIAL_YEAR),
        offence=offence,
        measure=measure,
        platform=platform,
        value=value,
        unit=unit,
        note=note,
    )


def _label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def print_counts() -> None:
    from django.db.models import Count

    from stats.models import Figure, Geography, Measure, Offence, Period, Population, Release, Source

    statuses = Counter(dict(Figure.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")))
    print(f"figures:     {sum(statuses.values()):,}", end="  ")
    print(", ".join(f"{statuses[s]:,} {s}" for s in ("current", "revision", "withdrawn")))
    print(f"releases:    {Release.objects.count():,}")
    print(f"sources:     {Source.objects.count():,}")
    print(f"periods:     {Period.objects.count():,}")
    with_figures = Figure.objects.values("geography").distinct().count()
    print(f"areas:       {Geography.objects.count():,} ({with_figures} with figures)")
    print(f"offences:    {Offence.objects.count():,}")
    print(f"measures:    {Measure.objects.count():,}")
    print(f"population estimates: {Population.objects.count():,}")


if __name__ == "__main__":
    main()
