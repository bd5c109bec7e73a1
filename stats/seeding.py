"""Load the real data shipped in stats/seed/ into the database.

Every file is parsed before anything is written; any row that cannot be understood
stops the load with its file and line, and nothing changes. Writing then happens in
one transaction and is idempotent. Reference data (areas, offences, measures,
platforms, councils, key dates, reporting routes) is matched on natural keys. Figures and
population estimates go through the publish service like any upload: each line of
releases.csv is published once, as a release dated when that data first went live
on the dashboard, so a fresh install and an upgraded one have the same history.
To change shipped data, give the changed rows a new release number and add that
number to releases.csv, with the one line (`summary`) that says in words what it ships:
it is each seed release's title on "What's new", so no two should be alike.
"""

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from stats.importers.files import FileProblem, open_sheets
from stats.importers.home_office import Area, read_home_office
from stats.importers.population import parse_estimate
from stats.importers.results import ImportResult
from stats.importers.rows import (
    CellError,
    RowError,
    check_length,
    clean_row,
    parse_date,
    parse_yes_no,
    read_csv_file,
    required,
)
from stats.importers.tidy import MeasureRule, Vocabulary, parse_figure
from stats.lookup_data import Lookups, read_lookups, write_lookups
from stats.models import (
    Geography,
    KeyDate,
    LocalAuthority,
    Measure,
    Offence,
    Platform,
    Release,
    ReportingRoute,
)
from stats.models.sources import parse_published
from stats.releases import Entry, SourceDetails, describe, publish

SEED_DIR = Path(__file__).resolve().parent / "seed"


class SeedError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("The seed data has errors; nothing was loaded:\n" + "\n".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True)
class SeedRelease:
    published: dt.date
    summary: str  # what it ships, in words; without one, the counts describe() gives


@dataclass(frozen=True)
class SeedEntry:
    entry: Entry
    release: int  # the line of releases.csv that first published it


@dataclass
class SeedRows:
    geographies: list[dict] = field(default_factory=list)
    local_authorities: list[dict] = field(default_factory=list)
    offences: list[dict] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    platforms: list[dict] = field(default_factory=list)
    releases: dict[int, SeedRelease] = field(default_factory=dict)  # seed release -> when it went live, and what
    figures: list[SeedEntry] = field(default_factory=list)
    populations: list[SeedEntry] = field(default_factory=list)
    key_dates: list[dict] = field(default_factory=list)
    routes: list[dict] = field(default_factory=list)
    lookups: Lookups | None = None  # None: the postcode and place lookups loaded already match the files


def load_seed(seed_dir: Path = SEED_DIR, *, lookups: bool = True) -> dict[str, Counter]:
    """Parse every seed file, then write them all; returns created/updated/unchanged per table,
    and the releases published."""
    rows = parse_seed(seed_dir, lookups=lookups)
    with transaction.atomic():
        return _write(rows)


def shipped_routes(seed_dir: Path = SEED_DIR) -> list[ReportingRoute]:
    """The reporting routes as shipped with the code, unsaved: what the "service unavailable"
    page shows when the database (where admins keep them up to date) does not answer."""
    rows = read_csv_file(seed_dir / "reporting_routes.csv")
    return [ReportingRoute(**_parse_route(clean_row(raw))) for _, raw in rows]


def parse_seed(seed_dir: Path, *, lookups: bool = True) -> SeedRows:
    """`lookups=False` leaves out the postcode and place-name lookups (190,000 rows): for tests
    of pages that never search, which load the seed again after every test."""
    rows, errors = SeedRows(), []

    def each(filename: str, parse: Callable[[dict[str, str]], object]) -> Iterable:
        path = seed_dir / filename
        if not path.exists():
            errors.append(RowError(0, "(file)", filename, "is missing", file=filename))
            return []
        parsed = []
        for line, raw in read_csv_file(path):
            try:
                parsed.append(parse(clean_row(raw)))
            except CellError as error:
                errors.append(RowError(line, error.column, error.value, error.expected, file=filename))
        return parsed

    rows.geographies = each("geographies.csv", _parse_geography)
    _check_parents(rows.geographies, errors)
    forces = {g["code"] for g in rows.geographies if g["level"] == Geography.Level.POLICE_FORCE_AREA}
    rows.local_authorities = each("local_authorities.csv", lambda row: _parse_local_authority(row, forces))
    _check_unique(rows.local_authorities, "code", "local_authorities.csv", errors)
    rows.offences = each("offences.csv", _parse_offence)
    rows.measures = each("measures.csv", _parse_measure)
    rows.platforms = each("platforms.csv", _parse_platform)
    vocabulary = Vocabulary(
        geographies={g["code"]: g["name"] for g in rows.geographies},
        offences={o["slug"]: o["name"] for o in rows.offences},
        measures={m["slug"]: MeasureRule(m["unit"], m["per_platform"]) for m in rows.measures},
        platforms={p["name"]: p["slug"] for p in rows.platforms},
    )
    rows.releases = dict(each("releases.csv", _parse_release))

    def release_of(row: dict[str, str]) -> int:
        number = required(row, "release")
        if not number.isdigit() or int(number) not in rows.releases:
            raise CellError("release", number, "is not a release number listed in releases.csv")
        return int(number)

    def entry(row: dict[str, str], parsed) -> SeedEntry:
        return SeedEntry(Entry(parsed, _parse_source(row)), release_of(row))

    rows.figures = each("figures.csv", lambda row: entry(row, parse_figure(row, vocabulary)))
    for seed_file in each("uploads.csv", lambda row: _parse_seed_file(row, release_of(row))):
        rows.figures += _read_seed_file(seed_dir, seed_file, rows.geographies, errors)
    codes = vocabulary.geographies
    rows.populations = each("population.csv", lambda row: entry(row, parse_estimate(row, codes)))
    rows.lookups = read_lookups(seed_dir / "places", set(codes), errors) if lookups else None
    rows.key_dates = each("events.csv", _parse_key_date)
    rows.routes = each("reporting_routes.csv", _parse_route)
    if errors:
        raise SeedError(errors)
    return rows


# The largest file the seed reads through an importer: the Home Office table is 2.5 MB.
LARGEST_SEED_FILE = 50_000_000


@dataclass(frozen=True)
class SeedFile:
    """A file in stats/seed/ that is published through its importer, as an admin's upload of it would be."""

    path: str
    release: int
    source: SourceDetails


def _parse_seed_file(row: dict[str, str], release: int) -> SeedFile:
    if required(row, "format") != "home-office":
        raise CellError("format", row["format"], "should be home-office: other figures belong in figures.csv")
    return SeedFile(required(row, "file"), release, _parse_source(row))


def _read_seed_file(seed_dir: Path, seed_file: SeedFile, geographies: list[dict], errors: list[RowError]) -> list:
    """A Home Office table read by its importer exactly as an upload of it would be: the seed
    publishes the 88A totals the importer sums, never figures copied out of the file."""
    filename = seed_file.path
    areas = [Area(g["code"], g["name"], g["level"], g["parent_code"]) for g in geographies]
    force_names = {g["home_office_force_name"]: g["code"] for g in geographies if g["home_office_force_name"]}
    try:
        sheets = open_sheets(seed_dir / filename, max_bytes=LARGEST_SEED_FILE)
        result = read_home_office(sheets, areas=areas, force_names=force_names)
    except (FileProblem, OSError) as problem:
        result = ImportResult()
        result.file_error(str(problem))
    for error in result.errors:
        where = {"expected": f"{filename}: {error.expected}"} if error.line == 0 else {"file": filename}
        errors.append(dataclasses.replace(error, **where))
    return [SeedEntry(Entry(figure, seed_file.source), seed_file.release) for figure in result.rows]


def _parse_geography(row: dict[str, str]) -> dict:
    level = required(row, "level")
    if level not in Geography.Level.values:
        raise CellError("level", level, f"is not one of {', '.join(Geography.Level.values)}")
    return {
        "code": required(row, "code"),
        "name": required(row, "name"),
        "level": level,
        "parent_code": row["parent_code"],
        "home_office_force_name": row["home_office_force_name"],
    }


def _check_parents(geographies: list[dict], errors: list[RowError]) -> None:
    seen = set()
    for line, geography in enumerate(geographies, start=2):
        parent = geography["parent_code"]
        if parent and parent not in seen:
            errors.append(
                RowError(
                    line,
                    "parent_code",
                    parent,
                    "must be an area listed on an earlier line",
                    file="geographies.csv",
                )
            )
        seen.add(geography["code"])


GSS_CODE = re.compile(r"[EKNSW][0-9]{8}")  # the same shape the database requires of an area's code


def _parse_local_authority(row: dict[str, str], forces: set[str]) -> dict:
    """A council and the police force area that covers it.

    Its other names come from two columns: `community_safety_partnerships`, from the ONS
    lookup, and `former_districts`, our own: the districts abolished when North Yorkshire
    and Somerset became single councils in April 2023, which the lookup no longer names
    but which people still search for (Harrogate, Richmondshire, Taunton).
    """
    code = required(row, "code")
    if not GSS_CODE.fullmatch(code):
        raise CellError("code", code, "is not an ONS/GSS code like E08000025")
    force = required(row, "police_force_area_code")
    if force not in forces:
        raise CellError("police_force_area_code", force, "is not a police force area listed in geographies.csv")
    name = check_length("name", required(row, "name"), LocalAuthority._meta.get_field("name").max_length)
    other_names = [
        part.strip()
        for column in ("community_safety_partnerships", "former_districts")
        for part in row.get(column, "").split(";")
    ]
    joined = "; ".join(dict.fromkeys(n for n in other_names if n and n != name))
    longest = LocalAuthority._meta.get_field("other_names").max_length
    return {
        "code": code,
        "name": name,
        "police_force_area_code": force,
        "other_names": check_length("community_safety_partnerships", joined, longest),
    }


def _check_unique(rows: list[dict], key: str, filename: str, errors: list[RowError]) -> None:
    seen = set()
    for line, row in enumerate(rows, start=2):
        if row[key] in seen:
            errors.append(RowError(line, key, row[key], "is listed on an earlier line too", file=filename))
        seen.add(row[key])


def _parse_offence(row: dict[str, str]) -> dict:
    return {
        "slug": required(row, "slug"),
        "name": required(row, "name"),
        "description": required(row, "description"),
        "legal_basis": required(row, "legal_basis"),
        "in_force": parse_date(row, "in_force") if row["in_force"] else None,
        "home_office_code": row["home_office_code"],
    }


def _parse_measure(row: dict[str, str]) -> dict:
    unit = required(row, "unit")
    if unit not in Measure.Unit.values:
        raise CellError("unit", unit, f"is not one of {', '.join(Measure.Unit.values)}")
    return {
        "slug": required(row, "slug"),
        "name": required(row, "name"),
        "unit": unit,
        "per_platform": parse_yes_no(row, "per_platform"),
        "denominator": row["denominator"],
        "description": required(row, "description"),
    }


def _parse_platform(row: dict[str, str]) -> dict:
    return {
        "slug": required(row, "slug"),
        "name": required(row, "name"),
        "is_grouping": parse_yes_no(row, "is_grouping"),
        "description": row["description"],
        "safety_url": _parse_url(row, "safety_url"),
    }


SUMMARY_LENGTH = Release._meta.get_field("summary").max_length


def _parse_release(row: dict[str, str]) -> tuple[int, SeedRelease]:
    number = required(row, "number")
    if not number.isdigit():
        raise CellError("number", number, "should be a release number: 1, 2, 3...")
    summary = row.get("summary", "")
    if len(summary) > SUMMARY_LENGTH:
        raise CellError("summary", summary[:40] + "...", f"should be at most {SUMMARY_LENGTH} characters: one line")
    return int(number), SeedRelease(parse_date(row, "published"), summary)


def _parse_source(row: dict[str, str]) -> SourceDetails:
    text = required(row, "source_published")
    try:
        parse_published(text)
    except ValueError as error:
        raise CellError("source_published", text, "should be YYYY, YYYY-MM or YYYY-MM-DD") from error
    return SourceDetails(
        publisher=required(row, "source_publisher"),
        title=required(row, "source_title"),
        published=text,
        url=_parse_url(row, "source_url"),
    )


def _parse_url(row: dict[str, str], column: str) -> str:
    """A web address the pages will link to: http or https only, or none."""
    url = row[column]
    if url and not url.startswith(("https://", "http://")):
        raise CellError(column, url, "should be a web address starting https://")
    return url


def _parse_key_date(row: dict[str, str]) -> dict:
    return {
        "date": parse_date(row, "date"),
        "title": required(row, "title"),
        "description": required(row, "description"),
        "source_url": _parse_url(row, "source_url"),
    }


def _parse_route(row: dict[str, str]) -> dict:
    if not row["phone"] and not row["url"]:
        raise CellError("phone", "", "and url are both empty; give a phone number, a web address or both")
    return {
        "key": required(row, "key"),
        "name": required(row, "name"),
        "who_for": required(row, "who_for"),
        "phone": row["phone"],
        "url": _parse_url(row, "url"),
        "anonymous": parse_yes_no(row, "anonymous"),
        "when_to_use": required(row, "when_to_use"),
        "note": row["note"],
        "for_young_people": parse_yes_no(row, "under_18"),
    }


def _write(rows: SeedRows) -> dict[str, Counter]:
    # One outcome per row, however often it is met:
    # "created" or "updated" wins over a later "unchanged".
    outcomes: dict[str, dict[tuple, str]] = {}

    # Every table's rows, read once and indexed by natural key: no query per seed row.
    stored: dict[tuple, dict[tuple, models.Model]] = {}

    def key_of(names: tuple[str, ...], item) -> tuple:
        """A row's natural key, whether given as lookup values or read off a stored row."""
        if isinstance(item, dict):
            return tuple(v.pk if isinstance(v, models.Model) else v for v in (item[n] for n in names))
        relations = _foreign_keys(item)
        return tuple(getattr(item, f"{n}_id" if n in relations else n) for n in names)

    def upsert(model: type[models.Model], key: dict, values: dict) -> models.Model:
        seen = outcomes.setdefault(model._meta.verbose_name_plural, {})
        names = tuple(key)
        if (model, names) not in stored:
            stored[(model, names)] = {key_of(names, row): row for row in model.objects.all()}
        index = stored[(model, names)]
        key_tuple = key_of(names, key)
        instance = index.get(key_tuple)
        if instance is None:
            instance, outcome = model.objects.create(**key, **values), "created"
            index[key_tuple] = instance
        elif any(getattr(instance, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(instance, name, value)
            instance.save()
            outcome = "updated"
        else:
            outcome = "unchanged"
        if seen.get(key_tuple) in (None, "unchanged"):
            seen[key_tuple] = outcome
        return instance

    geography_ids: dict[str, int] = {}
    for g in rows.geographies:
        values = {k: g[k] for k in ("name", "level", "home_office_force_name")}
        values["parent_id"] = geography_ids.get(g["parent_code"])
        geography_ids[g["code"]] = upsert(Geography, {"code": g["code"]}, values).pk
    for council in rows.local_authorities:
        values = {
            "name": council["name"],
            "police_force_area_id": geography_ids[council["police_force_area_code"]],
            "other_names": council["other_names"],
        }
        upsert(LocalAuthority, {"code": council["code"]}, values)

    for o in rows.offences:
        upsert(Offence, {"slug": o["slug"]}, _without(o, "slug"))
    measures = {
        m["slug"]: upsert(Measure, {"slug": m["slug"]}, _without(m, "slug", "denominator")) for m in rows.measures
    }
    for m in rows.measures:
        denominator_id = measures[m["denominator"]].pk if m["denominator"] else None
        upsert(Measure, {"slug": m["slug"]}, {"denominator_id": denominator_id})
    for p in rows.platforms:
        upsert(Platform, {"slug": p["slug"]}, _without(p, "slug"))

    for key_date in rows.key_dates:
        upsert(
            KeyDate,
            {"date": key_date["date"], "title": key_date["title"]},
            _without(key_date, "date", "title"),
        )
    for order, route in enumerate(rows.routes, start=1):
        upsert(ReportingRoute, {"key": route["key"]}, {**_without(route, "key"), "order": order})
    tally = {table: Counter(seen.values()) for table, seen in outcomes.items()}
    for table, loaded in write_lookups(rows.lookups, geography_ids).items():
        tally[table] = Counter(created=loaded)
    tally["releases"] = _publish_releases(rows)
    return tally


def _publish_releases(rows: SeedRows) -> Counter:
    """Each seed release not yet published here, in order, through the publish service."""
    published = Counter()
    done = set(Release.objects.exclude(seed_release=None).values_list("seed_release", flat=True))
    for number, seed_release in sorted(rows.releases.items()):
        if number in done:
            continue
        entries = [s.entry for s in rows.figures + rows.populations if s.release == number]
        release, _ = publish(
            entries=entries,
            kind=Release.Kind.SEED,
            summary=seed_release.summary or describe,
            published_at=dt.datetime.combine(seed_release.published, dt.time(), tzinfo=dt.UTC),
            seed_release=number,
        )
        if release is not None:
            published[f"release {release.number}"] = release.figures_added + release.estimates_added
    return published


def _foreign_keys(instance: models.Model) -> set[str]:
    return {f.name for f in instance._meta.fields if f.is_relation}


def _without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}
