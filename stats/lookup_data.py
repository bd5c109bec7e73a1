"""The postcode and place-name lookups (stats/seed/places/): reference data the seed loads.

Nearly 190,000 rows, so they are loaded differently from the rest of the seed: the files'
SHA-256 is stored (ReferenceData), and they are read and written again only when it has
changed, all at once, with PostgreSQL's COPY where it runs (a second, where row by row took
minutes). Every row is read and checked before anything is written; a bad one stops the seed
with its file and line, like any other seed row.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection

from stats.importers.rows import RowError
from stats.models import PlaceName, Postcode, PostcodeShare, ReferenceData

NAME = "places"
FILES = (
    "places.csv",
    "postcode_district_councils.csv",
    "postcode_sectors.csv",
    "postcode_sectors_split.csv",
    "postcodes_in_split_sectors.csv",
)
SCOTLAND = "S92000003"


@dataclass
class Lookups:
    sha256: str
    places: list[tuple] = field(default_factory=list)  # name, normal, kind, council, county, extent, force
    shares: list[tuple] = field(default_factory=list)  # unit, force, postcodes, share, council
    postcodes: list[tuple] = field(default_factory=list)  # code, force, council code


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for name in FILES:
        sha.update(name.encode())
        sha.update((folder / name).read_bytes())
    return sha.hexdigest()


def loaded_digest() -> str:
    return ReferenceData.objects.filter(name=NAME).values_list("sha256", flat=True).first() or ""


def read_lookups(folder: Path, forces: set[str], errors: list[RowError]) -> Lookups | None:
    """The lookups, checked, or None when the database already holds these very files."""
    missing = [name for name in FILES if not (folder / name).exists()]
    if missing:
        errors.extend(RowError(0, "(file)", name, f"places/{name} is missing", file=name) for name in missing)
        return None
    sha = digest(folder)
    if sha == loaded_digest():
        return None
    from stats.place_search import normal_form  # the search's own rule, so stored forms always agree

    lookups = Lookups(sha)

    def rows(name: str):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            yield from enumerate(csv.DictReader(handle), start=2)

    def force(name: str, line: int, code: str) -> str | None:
        if code not in forces:
            errors.append(RowError(line, "pfa_code", code, "is not a police force area we know", file=name))
            return None
        return code

    for line, row in rows("places.csv"):
        if (code := force("places.csv", line, row["pfa_code"])) and row["place_name"].strip():
            name = row["place_name"].strip()[:100]
            kind = row["place_type"][:100]
            extent = row["lad_share"][:40]
            lookups.places.append(
                (name, normal_form(name)[:100], kind, row["lad_name"][:100], row["county"][:100], extent, code)
            )

    # Districts: the councils of each, added up by force. A part's council is named only when it has one.
    districts: dict[tuple[str, str], list] = {}
    for line, row in rows("postcode_district_councils.csv"):
        if code := force("postcode_district_councils.csv", line, row["pfa_code"]):
            part = districts.setdefault((row["outcode"], code), [0, int(row["postcodes_in_outcode"]), set()])
            part[0] += int(row["postcodes_in_lad"])
            part[2].add(row["lad_name"])
    district_council = {}
    for (outcode, code), (postcodes, total, councils) in districts.items():
        council = next(iter(councils)) if len(councils) == 1 else ""
        district_council[(outcode, code)] = council
        lookups.shares.append((outcode, code, postcodes, _share(postcodes, total), council))

    split: dict[str, list[tuple]] = {}
    for line, row in rows("postcode_sectors_split.csv"):
        if code := force("postcode_sectors_split.csv", line, row["pfa_code"]):
            share = _decimal(row["share_pct"], "postcode_sectors_split.csv", line, errors)
            split.setdefault(row["sector"], []).append((code, int(row["postcodes_in_force"]), share))
    for line, row in rows("postcode_sectors.csv"):
        sector = row["sector"]
        outcode = sector.split()[0]
        parts = split.get(sector) or [(row["main_pfa_code"], int(row["postcodes"]), Decimal("100.0"))]
        for code, postcodes, share in parts:
            if force("postcode_sectors.csv", line, code):
                lookups.shares.append((sector, code, postcodes, share, district_council.get((outcode, code), "")))

    for line, row in rows("postcodes_in_split_sectors.csv"):
        if code := force("postcodes_in_split_sectors.csv", line, row["pfa_code"]):
            lookups.postcodes.append((row["postcode"], code, row["lad_code"]))
    return lookups


def _can_copy() -> bool:
    from psycopg2.extensions import get_wait_callback

    return get_wait_callback() is None


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def _decimal(text: str, name: str, line: int, errors: list[RowError]) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        errors.append(RowError(line, "share_pct", text, "is not a number", file=name))
        return Decimal(0)


def write_lookups(lookups: Lookups | None, geography_ids: dict[str, int]) -> dict[str, int]:
    """Replace the lookup tables with these rows, inside the seed's transaction."""
    if lookups is None:
        return {}
    for model in (PlaceName, PostcodeShare, Postcode):
        model.objects.all().delete()
    columns = {
        PlaceName: ("name", "normal", "kind", "council", "county", "extent", "police_force_area_id"),
        PostcodeShare: ("unit", "police_force_area_id", "postcodes", "share", "council"),
        Postcode: ("code", "police_force_area_id", "council_code"),
    }
    force_at = {PlaceName: 6, PostcodeShare: 1, Postcode: 1}
    data = {PlaceName: lookups.places, PostcodeShare: lookups.shares, Postcode: lookups.postcodes}
    for model, rows in data.items():
        at = force_at[model]
        with_ids = [(*row[:at], geography_ids[row[at]], *row[at + 1 :]) for row in rows]
        _insert(model, columns[model], with_ids)
    ReferenceData.objects.update_or_create(name=NAME, defaults={"sha256": lookups.sha256})
    return {
        "place names": len(lookups.places),
        "postcode shares": len(lookups.shares),
        "postcodes": len(lookups.postcodes),
    }


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if connection.vendor == "postgresql" and _can_copy():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)  # "" is text, not NULL
        buffer.seek(0)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)
    elif connection.vendor == "postgresql":
        # Where the database watch waits on every query (dashboard/database_watch.py), psycopg2
        # refuses COPY: many rows to a statement instead, a few times slower.
        from psycopg2.extras import execute_values

        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            sql = f"INSERT INTO {table} ({names}) VALUES %s"  # noqa: S608 - our own quoted names, no input
            execute_values(cursor.cursor, sql, rows, page_size=5000)
    else:
        model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=2000)
