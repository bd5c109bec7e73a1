"""The publish service: the one way figures and population estimates change.

Every change is a numbered release, written in one transaction under one lock:
the seed, an upload, an admin's correction, and the withdrawal of an earlier
release. Rows are never edited. A new value adds a row; a correction adds a row
and withdraws the one it corrects; a withdrawal withdraws what a release added and
puts back what it withdrew. After each change the service decides, by the rule in
stats/models/revisions.py, which row of each touched series is current, stores it,
and records every row's new standing in its status spans, so the data as it stood
after any release can be read back exactly.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from stats.importers.population import PopulationRow
from stats.importers.rows import CellError, check_cell
from stats.importers.tidy import FigureRow
from stats.models import (
    Change,
    Figure,
    FigureStatusSpan,
    Geography,
    Measure,
    Offence,
    Period,
    Platform,
    Population,
    PopulationStatusSpan,
    Release,
    Source,
    Upload,
)
from stats.models.revisions import LIVE, Status, latest_publication, publication_order
from stats.models.sources import parse_published
from stats.numbers import format_value
from stats.release_files import write_release_files

JUMP = 5  # a value more than five times, or under a fifth of, the one before it is flagged for a person to check


class PublishError(Exception):
    """Nothing was published; the message says why, for an admin."""


@dataclass(frozen=True)
class SourceDetails:
    publisher: str
    title: str
    published: str  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the publication says
    url: str = ""
    coverage: str = ""

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return self.publisher, self.title, parse_published(self.published)[0]

    def problems(self) -> list[str]:
        """What is wrong with these details as an admin gave them, for the upload form and the command."""
        found = []
        for name, value, limit in (
            ("publisher", self.publisher, 200),
            ("title", self.title, 300),
            ("web address", self.url, 500),
            ("coverage", self.coverage, 2000),
        ):
            if name in ("publisher", "title") and not value.strip():
                found.append(f"The {name} is empty.")
            if len(value) > limit:
                found.append(f"The {name} is {len(value):,} characters long; the most kept is {limit:,}.")
            try:
                check_cell(name, value, multiline=name == "coverage")
            except CellError as error:
                found.append(f"The {name} {error.expected}.")
        if self.url and not self.url.startswith(("https://", "http://")):
            found.append("The web address must start with https:// or http://.")
        try:
            day, _ = parse_published(self.published)
        except ValueError as error:
            found.append(f"The publication date: {error}.")
        else:
            if not EARLIEST_SOURCE <= day <= timezone.localdate():
                found.append(f"The publication date {self.published} is not between {EARLIEST_SOURCE.year} and today.")
        return found


EARLIEST_SOURCE = dt.date(1990, 1, 1)  # as far back as the figures' own periods go (stats/importers/rows.py)


@dataclass(frozen=True)
class Entry:
    """One value to publish, with the publication it comes from."""

    row: FigureRow | PopulationRow
    source: SourceDetails


# Datasets: what differs between figures and population estimates -----------------------------


@dataclass(frozen=True)
class Dataset:
    model: type
    span_model: type
    row_field: str  # the span's and the change's field for a row: "figure" or "population"
    previous_field: str
    related: tuple[str, ...]  # what a row's series key and the rule read, fetched with it
    # The live rows (current or revisions) of the given series, by series key.
    live: Callable[[set[tuple]], dict[tuple, list]]
    create: Callable[[list[Entry], dict[tuple, Source], Release], list]
    key_of: Callable[[object], tuple]
    previous_period: Callable[[tuple], tuple | None]  # the series key of the year before, if there is one
    describe: Callable[[tuple], str]


def _figure_key(figure: Figure) -> tuple:
    return (
        figure.geography.code,
        figure.period.start,
        figure.period.end,
        figure.offence.slug,
        figure.measure.slug,
        figure.platform.slug if figure.platform else "",
    )


def _live_figures(keys: set[tuple]) -> dict[tuple, list[Figure]]:
    if not keys:
        return {}
    candidates = (
        Figure.objects.published()
        .select_related(*FIGURE_RELATED)
        .filter(
            geography__code__in={k[0] for k in keys},
            period__start__in={k[1] for k in keys},
            offence__slug__in={k[3] for k in keys},
            measure__slug__in={k[4] for k in keys},
        )
    )
    return _by_key(candidates, _figure_key, keys)


def _create_figures(entries: list[Entry], sources: dict[tuple, Source], release: Release) -> list[Figure]:
    rows = [entry.row for entry in entries]
    periods = _periods(rows)
    ids = _reference_ids()
    return Figure.objects.bulk_create(
        [
            Figure(
                source=sources[entry.source.key],
                geography_id=ids["geography"][row.geography_code],
                period=periods[(row.period.start, row.period.end)],
                offence_id=ids["offence"][row.offence],
                measure_id=ids["measure"][row.measure],
                platform_id=ids["platform"].get(row.platform),
                value=row.value,
                unit=row.unit,
                note=row.note,
                qualifier=row.qualifier,
                coverage=row.coverage,
                release=release,
                status=Status.REVISION,  # the current one of each series is chosen after every row is in
            )
            for entry, row in zip(entries, rows, strict=True)
        ]
    )


def _year_before(key: tuple) -> tuple | None:
    code, start, end, *rest = key
    if (start.month, start.day) not in ((4, 1), (1, 1)) or end != _years_later(start, 1) - dt.timedelta(days=1):
        return None  # only whole financial and calendar years have an obvious "year before"
    return (code, _years_later(start, -1), _years_later(end, -1), *rest)


def _years_later(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


def _describe_figure(key: tuple) -> str:
    code, start, end, offence, measure, platform = key
    return f"{code} {start:%d %b %Y} to {end:%d %b %Y}, {offence}, {measure}{f', {platform}' if platform else ''}"


def _population_key(estimate: Population) -> tuple:
    return estimate.geography.code, estimate.year, estimate.age_band


def _live_populations(keys: set[tuple]) -> dict[tuple, list[Population]]:
    if not keys:
        return {}
    candidates = (
        Population.objects.published()
        .select_related(*POPULATION_RELATED)
        .filter(geography__code__in={k[0] for k in keys}, year__in={k[1] for k in keys})
    )
    return _by_key(candidates, _population_key, keys)


def _create_populations(entries: list[Entry], sources: dict[tuple, Source], release: Release) -> list[Population]:
    geography_ids = dict(Geography.objects.values_list("code", "id"))
    return Population.objects.bulk_create(
        [
            Population(
                source=sources[entry.source.key],
                geography_id=geography_ids[entry.row.geography_code],
                year=entry.row.year,
                age_band=entry.row.age_band,
                value=entry.row.value,
                note=entry.row.note,
                release=release,
                status=Status.REVISION,
            )
            for entry in entries
        ]
    )


FIGURE_RELATED = ("geography", "period", "offence", "measure", "platform", "source")
POPULATION_RELATED = ("geography", "source")


def _by_key(rows: Iterable, key_of: Callable, keys: set[tuple]) -> dict[tuple, list]:
    found: dict[tuple, list] = defaultdict(list)
    for row in rows:
        key = key_of(row)
        if key in keys:
            found[key].append(row)
    return found


FIGURES = Dataset(
    model=Figure,
    span_model=FigureStatusSpan,
    row_field="figure",
    previous_field="previous",
    related=FIGURE_RELATED,
    live=_live_figures,
    create=_create_figures,
    key_of=_figure_key,
    previous_period=_year_before,
    describe=_describe_figure,
)
POPULATIONS = Dataset(
    model=Population,
    span_model=PopulationStatusSpan,
    row_field="population",
    previous_field="previous_population",
    related=POPULATION_RELATED,
    live=_live_populations,
    create=_create_populations,
    key_of=_population_key,
    previous_period=lambda key: (key[0], key[1] - 1, key[2]),
    describe=lambda key: f"{key[0]} mid-{key[1]}, ages {key[2]}",
)


def dataset_of(row: FigureRow | PopulationRow) -> Dataset:
    return POPULATIONS if isinstance(row, PopulationRow) else FIGURES


# Planning: what publishing would do, written nowhere ----------------------------------------


@dataclass
class Planned:
    entry: Entry
    kind: str  # a Change.Kind
    previous: "Figure | Population | None" = None  # what was current, or the same-source row it corrects

    @property
    def dataset(self) -> Dataset:
        return dataset_of(self.entry.row)


@dataclass
class Plan:
    changes: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)  # implausible jumps, for a person to confirm

    def count(self, *kinds: str) -> int:
        return sum(1 for change in self.changes if change.kind in kinds)

    @property
    def new(self) -> int:
        return self.count(Change.Kind.NEW)

    @property
    def changed(self) -> int:
        return self.count(Change.Kind.RESTATED, Change.Kind.CORRECTED, Change.Kind.EARLIER)


def plan(entries: list[Entry]) -> Plan:
    """What publishing these entries would add or change, and which changes look implausible."""
    result = Plan()
    by_dataset: dict[Dataset, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_dataset[dataset_of(entry.row)].append(entry)
    recorded = _recorded_sources({entry.source.key for entry in entries})
    for dataset, group in by_dataset.items():
        keys = {entry.row.series_key for entry in group}
        before = {key for key in map(dataset.previous_period, keys) if key is not None}
        live = dataset.live(keys | before)
        for entry in group:
            planned = _plan_one(entry, live.get(entry.row.series_key, []), recorded.get(entry.source.key))
            if planned is None:
                result.unchanged += 1
                continue
            result.changes.append(planned)
        in_file = {entry.row.series_key: entry.row.value for entry in group}
        result.warnings += _jumps(dataset, [c for c in result.changes if c.dataset is dataset], live, in_file)
    return result


def _recorded_sources(keys: set[tuple]) -> dict[tuple, int]:
    """The ids of the publications already recorded, by (publisher, title, date)."""
    if not keys:
        return {}
    query = Q()
    for publisher, title, published in keys:
        query |= Q(publisher=publisher, title=title, published=published)
    return {(s.publisher, s.title, s.published): s.pk for s in Source.objects.filter(query)}


def _same_content(stored, row: FigureRow | PopulationRow) -> bool:
    """A source giving a series again, word for word: nothing to publish."""
    fields = ("value", "note", "qualifier", "coverage") if isinstance(row, FigureRow) else ("value", "note")
    return all(getattr(stored, name) == getattr(row, name) for name in fields)


def _plan_one(entry: Entry, live: list, source_id: int | None) -> Planned | None:
    """source_id: the entry's publication's, if it is already recorded (a new one will be the latest)."""
    row, key = entry.row, entry.source.key
    same_source = next((f for f in live if _source_key(f.source) == key), None)
    current = next((f for f in live if f.status == Status.CURRENT), None)
    if same_source is not None:
        if _same_content(same_source, row):
            return None
        return Planned(entry, Change.Kind.CORRECTED, same_source)
    if current is None:
        return Planned(entry, Change.Kind.NEW)
    if current.value == row.value:
        return None
    # A publication not yet recorded will be recorded last.
    ours = publication_order(key[2], source_id or float("inf"))
    if ours > publication_order(current.source.published, current.source_id):
        return Planned(entry, Change.Kind.RESTATED, current)
    return Planned(entry, Change.Kind.EARLIER, current)


def _source_key(source: Source) -> tuple:
    return source.publisher, source.title, source.published


def _jumps(dataset: Dataset, changes: list[Planned], live: dict, in_file: dict) -> list[str]:
    """New values more than JUMP times, or under 1/JUMP of, the value they replace or the year before's."""
    warnings = []
    for change in changes:
        key, new = change.entry.row.series_key, Decimal(change.entry.row.value)
        unit = getattr(change.entry.row, "unit", "count")
        compared = []
        if change.previous is not None:
            compared.append((change.previous.value, "the value it replaces"))
        year_before = dataset.previous_period(key)
        if year_before in in_file:
            compared.append((in_file[year_before], "the year before, in this file"))
        elif year_before is not None:
            current = next((f for f in live.get(year_before, []) if f.status == Status.CURRENT), None)
            if current is not None:
                compared.append((current.value, "the year before"))
        for old, what in compared:
            if old > 0 and (new > old * JUMP or new * JUMP < old):
                size = "more than five times" if new > old else "under a fifth of"
                warnings.append(
                    f"{dataset.describe(key)}: {format_value(new, unit)} is {size} "
                    f"{format_value(old, unit)}, {what}. Check it is right before publishing."
                )
    return warnings


def describe(changes: Plan) -> str:
    """A release's public one-liner, from what it changes: '11 new figures for Cheshire Constabulary, ...'."""
    names = dict(Geography.objects.values_list("code", "name"))
    parts = []
    for dataset, noun in ((FIGURES, "figure"), (POPULATIONS, "population estimate")):
        planned = [c for c in changes.changes if c.dataset is dataset]
        if not planned:
            continue
        new = sum(1 for c in planned if c.kind == Change.Kind.NEW)
        counts = [f"{n:,} {what}" for n, what in ((new, "new"), (len(planned) - new, "revised")) if n]
        areas = sorted({names.get(c.entry.row.geography_code, c.entry.row.geography_code) for c in planned})
        where = _list_in_words(areas) if len(areas) <= 5 else f"{len(areas)} areas"
        parts.append(f"{' and '.join(counts)} {noun}{'s' if len(planned) > 1 else ''} for {where}")
    return "; ".join(parts)


def _list_in_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# Writing -------------------------------------------------------------------------------------


def publish(
    *,
    entries: list[Entry],
    kind: str,
    summary: str | Callable[[Plan], str],
    user=None,
    upload: Upload | None = None,
    reason: str = "",
    published_at: dt.datetime | None = None,
    seed_release: int | None = None,
    check: Callable[[Plan], None] | None = None,
) -> tuple[Release | None, Plan]:
    """Write the entries' new and changed values as one release. Nothing changes, no release.

    `check` sees the plan as it stands under the lock, and may refuse it with a PublishError.
    """
    with transaction.atomic():
        _lock()
        changes = plan(entries)
        if not changes.changes:
            return None, changes
        if check is not None:
            check(changes)
        release = _new_release(
            kind=kind,
            summary=summary(changes) if callable(summary) else summary,
            user=user,
            upload=upload,
            reason=reason,
            published_at=published_at,
            seed_release=seed_release,
        )
        sources = {details.key: _source(details) for details in {c.entry.source for c in changes.changes}}
        records = []
        for dataset in {c.dataset for c in changes.changes}:
            planned = [c for c in changes.changes if c.dataset is dataset]
            corrected = [c.previous for c in planned if c.kind == Change.Kind.CORRECTED]
            _take_down(dataset, corrected)  # first: a source has one value per series on the dashboard
            added = dataset.create([c.entry for c in planned], sources, release)
            keys = {c.entry.row.series_key for c in planned}
            _restand(dataset, release, keys, adding=added, withdrawing=corrected)
            records += [
                Change(
                    release=release,
                    kind=c.kind,
                    old_value=c.previous.value if c.previous else None,
                    new_value=row.value,
                    **{dataset.row_field: row, dataset.previous_field: c.previous},
                )
                for c, row in zip(planned, added, strict=True)
            ]
        _finish(release, records)
    return release, changes


def withdraw(*, release: Release, reason: str, user=None) -> Release:
    """Undo one release: withdraw every row it added and put back every row it withdrew."""
    if not reason.strip():
        raise PublishError("Say why the release is withdrawn: the reason is shown to the public.")
    with transaction.atomic():
        _lock()
        release = Release.objects.select_related("upload").get(pk=release.pk)
        if release.kind in (Release.Kind.SEED, Release.Kind.BASELINE):
            raise PublishError(
                "The data shipped with the dashboard cannot be withdrawn. Correct the figures that are wrong instead."
            )
        if release.kind == Release.Kind.WITHDRAWAL:
            raise PublishError("A withdrawal cannot itself be withdrawn. Publish the figures again instead.")
        if release.is_withdrawn:
            raise PublishError(f"Release {release.number} was already withdrawn by release {release.withdrawn_by.pk}.")
        undo = _undo_plan(release)
        withdrawal = _new_release(
            kind=Release.Kind.WITHDRAWAL,
            summary=f"Withdrew release {release.number}: {release.summary}"[:300],
            user=user,
            reason=reason.strip(),
            withdraws=release,
        )
        records = []
        for dataset, (added, withdrawn) in undo.items():
            keys = {dataset.key_of(row) for row in added + withdrawn}
            _restand(dataset, withdrawal, keys, adding=[], withdrawing=added, restoring=withdrawn)
            records += [
                Change(release=withdrawal, kind=kind, old_value=row.value if kind == "withdrawn" else None,
                       new_value=None if kind == "withdrawn" else row.value, **{dataset.row_field: row})
                for kind, rows in ((Change.Kind.WITHDRAWN, added), (Change.Kind.RESTORED, withdrawn))
                for row in rows
            ]  # fmt: skip
        _finish(withdrawal, records)
        if release.upload is not None:
            Upload.objects.filter(pk=release.upload.pk).update(status=Upload.Status.WITHDRAWN)
    return withdrawal


def _undo_plan(release: Release) -> dict[Dataset, tuple[list, list]]:
    """What withdrawing the release must do; refused when a later release has changed the same series."""
    undo = {}
    for dataset in (FIGURES, POPULATIONS):
        rows = dataset.model.objects.select_related(*dataset.related)
        added = list(rows.filter(release=release))
        withdrawn = list(
            rows.filter(pk__in=release.changes.filter(kind=Change.Kind.CORRECTED).values(dataset.previous_field))
        )
        if not added and not withdrawn:
            continue
        keys = {dataset.key_of(row) for row in added + withdrawn}
        later = {row.release_id for rows in dataset.live(keys).values() for row in rows if row.release_id > release.pk}
        later |= set(  # a later correction withdrew a row this release added
            Change.objects.filter(**{f"{dataset.previous_field}__in": added}, kind=Change.Kind.CORRECTED)
            .exclude(release=release)
            .exclude(release__withdrawn_by__isnull=False)
            .values_list("release_id", flat=True)
        )
        if later:
            numbers = ", ".join(str(n) for n in sorted(later))
            raise PublishError(
                f"Release{'s' if len(later) > 1 else ''} {numbers} later changed the same figures. "
                "Withdraw the later release first, or correct the figures instead."
            )
        undo[dataset] = (added, withdrawn)
    return undo


def _restand(
    dataset: Dataset, release: Release, keys: set[tuple], *, adding: list, withdrawing: list, restoring: list = ()
) -> None:
    """Give every row of the touched series its standing after this release, and record what changed."""
    live = dataset.live(keys)  # before this release's rows count: `adding` are stored as revisions for now
    gone = {row.pk for row in withdrawing}
    by_key: dict[tuple, list] = defaultdict(list)
    for row in [*(r for rows in live.values() for r in rows if r.pk not in gone), *restoring]:
        by_key[dataset.key_of(row)].append(row)
    arriving = [*adding, *restoring]  # rows with no standing yet: every one of them gets a span
    before = {row.pk: row.status for rows in by_key.values() for row in rows} | {row.pk: None for row in arriving}
    for rows in by_key.values():
        latest = latest_publication(rows)
        for row in rows:
            row.status = Status.CURRENT if row is latest else Status.REVISION
    changed = [row for rows in by_key.values() for row in rows if before.get(row.pk) != row.status]
    added_ids = {row.pk for row in adding}
    # Take down, then demote, then promote: the database's unique indexes are checked row by row,
    # and allow one current row per series, and one live row per source and series, at every moment.
    _take_down(dataset, withdrawing)
    demoted = [r for r in changed if r.status != Status.CURRENT]
    promoted = [r for r in changed if r.status == Status.CURRENT]
    dataset.model.objects.bulk_update(demoted, ["status"])
    dataset.model.objects.bulk_update(promoted, ["status"])
    ended = [row.pk for row in [*withdrawing, *demoted, *promoted] if row.pk not in added_ids]
    dataset.span_model.objects.filter(**{f"{dataset.row_field}__in": ended}, until_release=None).update(
        until_release=release
    )
    dataset.span_model.objects.bulk_create(
        dataset.span_model(**{dataset.row_field: row}, status=row.status, from_release=release)
        for row in changed
        if row.status in LIVE
    )


def _take_down(dataset: Dataset, rows: list) -> None:
    for row in rows:
        row.status = Status.WITHDRAWN
    dataset.model.objects.bulk_update(rows, ["status"])


def _lock() -> None:
    """One publish at a time: release numbers, and the one current row per series, depend on it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK])
    # SQLite allows one writer at a time anyway.


PUBLISH_LOCK = 7_700_417  # any constant shared by every process that publishes


def _new_release(*, kind, summary, user=None, upload=None, reason="", published_at=None, seed_release=None,
                 withdraws=None) -> Release:  # fmt: skip
    latest = Release.objects.aggregate(number=Max("number"), at=Max("published_at"))
    now = timezone.now()
    at = published_at or now
    if latest["at"] is not None and at < latest["at"]:
        at = latest["at"]  # release dates never go backwards, whatever date the seed carries
    return Release.objects.create(
        number=(latest["number"] or 0) + 1,
        published_at=at,
        published_by=user,
        kind=kind,
        summary=summary,
        reason=reason,
        upload=upload,
        withdraws=withdraws,
        seed_release=seed_release,
    )


def _finish(release: Release, records: list[Change]) -> None:
    Change.objects.bulk_create(records)
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        dataset = "figures" if record.figure_id else "estimates"
        if record.kind == Change.Kind.NEW:
            counts[f"{dataset}_added"] += 1
        elif record.kind == Change.Kind.WITHDRAWN:
            counts[f"{dataset}_withdrawn"] += 1
        else:
            counts[f"{dataset}_revised"] += 1
    Release.objects.filter(pk=release.pk).update(**counts)
    for name, value in counts.items():
        setattr(release, name, value)
    # The bulk downloads are written once the release is visible. That never raises (a failure
    # is logged, and the files are written when next asked for), and robust=True is only a second
    # guard: what happens after the commit must not report a live release as failed.
    number = release.number
    transaction.on_commit(lambda: write_release_files(number), robust=True)


def _source(details: SourceDetails) -> Source:
    """The publication, recorded once: a source already recorded is never rewritten, so every
    past release keeps the provenance it was published with (uploads are checked to agree)."""
    day, precision = parse_published(details.published)
    source, _ = Source.objects.get_or_create(
        publisher=details.publisher,
        title=details.title,
        published=day,
        defaults={"published_precision": precision, "url": details.url, "coverage": details.coverage},
    )
    return source


def period_label_clashes(rows: list) -> list[str]:
    """Labels that would name two different spans: within the rows, or against a period already recorded."""
    spans: dict[str, set[tuple]] = defaultdict(set)
    for row in rows:
        if isinstance(row, FigureRow):
            spans[row.period.label].add((row.period.start, row.period.end))
    for period in Period.objects.filter(label__in=spans):
        spans[period.label].add((period.start, period.end))
    return [
        f"The period label '{label}' would name {len(dates)} different spans of dates "
        f"({'; '.join(f'{start} to {end}' for start, end in sorted(dates))}). Give each span its own label."
        for label, dates in sorted(spans.items())
        if len(dates) > 1
    ]


def source_disagreements(details: SourceDetails) -> list[str]:
    """How these details differ from the same publication as already recorded, if they do."""
    publisher, title, published = details.key
    recorded = Source.objects.filter(publisher=publisher, title=title, published=published).first()
    if recorded is None:
        return []
    return [
        f"This publication is already recorded with the {what} '{old or 'none'}', not '{new or 'none'}'. "
        "Give the same details, or a different title if it is a different publication."
        for what, old, new in (
            ("web address", recorded.url, details.url),
            ("coverage", recorded.coverage, details.coverage),
            ("date precision", recorded.published_as_written, details.published),
        )
        if old != new
    ]


def _periods(rows: list[FigureRow]) -> dict[tuple, Period]:
    spans = {(r.period.start, r.period.end): r.period for r in rows}
    query = Q()
    for start, end in spans:
        query |= Q(start=start, end=end)
    found = {(p.start, p.end): p for p in Period.objects.filter(query)}
    missing = [
        Period(label=s.label, kind=s.kind, start=s.start, end=s.end) for key, s in spans.items() if key not in found
    ]
    labels = set(Period.objects.filter(label__in=[p.label for p in missing]).values_list("label", flat=True))
    if labels:
        raise PublishError(f"The period label(s) {', '.join(sorted(labels))} already name other dates.")
    for period in Period.objects.bulk_create(missing):
        found[(period.start, period.end)] = period
    return found


def _reference_ids() -> dict[str, dict[str, int]]:
    return {
        "geography": dict(Geography.objects.values_list("code", "id")),
        "offence": dict(Offence.objects.values_list("slug", "id")),
        "measure": dict(Measure.objects.values_list("slug", "id")),
        "platform": dict(Platform.objects.values_list("slug", "id")),
    }


# Corrections -----------------------------------------------------------------------------------


def correct_figure(*, figure: Figure, row: FigureRow, reason: str, user=None) -> Release:
    """An admin's fix of one figure from the same source: a release of its own, with the reason.

    `row` is the figure with its new value and note, already checked by the importers' rules
    (stats.publishing.corrected_row).
    """
    if not reason.strip():
        raise PublishError("Say why the figure is corrected: the reason is shown to the public.")
    with transaction.atomic():
        _lock()  # held until the correction is written: nothing can withdraw the figure meanwhile
        figure = Figure.objects.published().with_provenance().filter(pk=figure.pk).first()
        if figure is None:
            raise PublishError("This figure has been withdrawn since you opened it: there is nothing to correct.")
        return _correct(figure, row, reason, user)


def _correct(figure: Figure, row: FigureRow, reason: str, user) -> Release:
    source = figure.source
    details = SourceDetails(source.publisher, source.title, source.published_as_written, source.url, source.coverage)
    old, new = format_value(figure.value, figure.unit), format_value(row.value, figure.unit)
    release, _ = publish(
        entries=[Entry(row, details)],
        kind=Release.Kind.CORRECTION,
        summary=f"Corrected {figure.geography.name}, {figure.period.label}, {figure.measure.name.lower()}: "
        f"{old} is now {new}"[:300],
        user=user,
        reason=reason.strip(),
    )
    if release is None:
        raise PublishError("The value and note are the same as the figure's: there is nothing to correct.")
    return release
