"""Uploads, from file to published figures: check every row, preview, publish in one transaction.

Nothing is written until every row of a file has passed. Publishing adds a figure
for each new value, under the upload's source. A value that differs from the
current one is added beside it, so the earlier figure stays as a revision; a
same-source correction updates the value and the upload records the old one.
Re-publishing a file therefore changes nothing.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stats.importers.files import FileProblem, Progress, open_sheets
from stats.importers.home_office import Area, read_home_office
from stats.importers.population import PopulationRow, read_population
from stats.importers.results import ImportResult
from stats.importers.tidy import FigureRow, MeasureRule, Vocabulary, read_tidy
from stats.models import (
    Figure,
    Geography,
    Measure,
    Offence,
    Period,
    Platform,
    Population,
    Source,
    Upload,
    UploadChange,
)
from stats.models.sources import parse_published
from stats.numbers import format_value

PREVIEW_LINES_KEPT = 2000


class PublishError(Exception):
    """The upload cannot be published; nothing was written."""


@dataclass(frozen=True)
class SourceDetails:
    publisher: str
    title: str
    published: str  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the publication says
    url: str = ""
    coverage: str = ""

    @property
    def key(self) -> dict:
        day, _ = parse_published(self.published)
        return {"publisher": self.publisher, "title": self.title, "published": day}


@dataclass
class Change:
    row: "FigureRow | PopulationRow"
    kind: str  # an UploadChange.Kind
    previous: "Figure | Population | None" = None  # what was current, or the same-source value it corrects

    def row_line(self) -> dict:
        row = self.row
        if isinstance(row, PopulationRow):
            what = {"period": f"mid-{row.year}", "offence": "", "measure": f"population {row.age_band}", "platform": ""}
            return {"area": row.geography_code, **what, "new": f"{row.value:,}"}
        what = {"period": row.period.label, "offence": row.offence, "measure": row.measure, "platform": row.platform}
        return {"area": row.geography_code, **what, "new": format_value(row.value, row.unit)}


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def count(self, *kinds: str) -> int:
        return sum(1 for change in self.changes if change.kind in kinds)

    @property
    def new(self) -> int:
        return self.count(UploadChange.Kind.NEW)

    @property
    def changed(self) -> int:
        return self.count(UploadChange.Kind.RESTATED, UploadChange.Kind.CORRECTED, UploadChange.Kind.EARLIER)


# Reading ---------------------------------------------------------------------------


def read_file(path: Path, file_format: str, progress: Progress | None = None) -> ImportResult:
    """Every row of the file checked against the areas, offences, measures and platforms we know."""
    try:
        sheets = open_sheets(path, max_bytes=settings.UPLOAD_MAX_BYTES, progress=progress)
        if file_format == Upload.Format.HOME_OFFICE:
            areas = [
                Area(g.code, g.name, g.level, g.parent.code if g.parent else "")
                for g in Geography.objects.select_related("parent")
            ]
            force_names = dict(
                Geography.objects.exclude(home_office_force_name="").values_list("home_office_force_name", "code")
            )
            return read_home_office(sheets, areas=areas, force_names=force_names)
        if file_format == Upload.Format.POPULATION:
            return read_population(sheets, dict(Geography.objects.values_list("code", "name")))
        return read_tidy(sheets, vocabulary())
    except FileProblem as problem:
        result = ImportResult()
        result.file_error(str(problem))
        return result
    except UnicodeDecodeError:  # a UTF-16 file cut short, say: its byte-order mark promised more
        result = ImportResult()
        result.file_error("The file's text cannot be read in the encoding it declares. Save it as CSV UTF-8.")
        return result


def vocabulary() -> Vocabulary:
    return Vocabulary(
        geographies=dict(Geography.objects.values_list("code", "name")),
        offences=dict(Offence.objects.values_list("slug", "name")),
        measures={m.slug: MeasureRule(m.unit, m.per_platform) for m in Measure.objects.all()},
        platforms=dict(Platform.objects.values_list("name", "slug")),
    )


# Previewing -------------------------------------------------------------------------


def preview(rows: list, details: SourceDetails, dataset: "Dataset | None" = None) -> Preview:
    """What publishing these rows under this source would add or change. Writes nothing."""
    source_key = details.key
    existing = (dataset or FIGURES).existing(rows)
    result = Preview()
    for row in rows:
        figures = existing.get(row.series_key, [])
        same_source = next((f for f in figures if _is_source(f.source, source_key)), None)
        current = next((f for f in figures if not f.is_superseded), None)
        if same_source is not None:
            if same_source.value == row.value and same_source.note == row.note:
                result.unchanged += 1
            else:
                result.changes.append(Change(row, UploadChange.Kind.CORRECTED, same_source))
        elif current is None:
            result.changes.append(Change(row, UploadChange.Kind.NEW))
        elif current.value == row.value:
            result.unchanged += 1
        elif source_key["published"] >= current.source.published:
            result.changes.append(Change(row, UploadChange.Kind.RESTATED, current))
        else:
            result.changes.append(Change(row, UploadChange.Kind.EARLIER, current))
    return result


def _is_source(source: Source, key: dict) -> bool:
    return (source.publisher, source.title, source.published) == (key["publisher"], key["title"], key["published"])


def _existing_figures(rows: list[FigureRow]) -> dict[tuple, list[Figure]]:
    """Every stored figure of the rows' series, in one query."""
    if not rows:
        return {}
    candidates = (
        Figure.objects.with_revision_status()
        .with_provenance()
        .filter(
            geography__code__in={r.geography_code for r in rows},
            offence__slug__in={r.offence for r in rows},
            measure__slug__in={r.measure for r in rows},
            period__start__in={r.period.start for r in rows},
        )
    )
    by_series: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in candidates:
        key = (
            figure.geography.code,
            figure.period.start,
            figure.period.end,
            figure.offence.slug,
            figure.measure.slug,
            figure.platform.slug if figure.platform else "",
        )
        by_series[key].append(figure)
    return by_series


def preview_lines(changes: list[Change]) -> list[dict]:
    """The preview as the admin sees it: old and new values side by side."""
    return [{"kind": c.kind, **c.row_line(), **_old(c.previous)} for c in changes[:PREVIEW_LINES_KEPT]]


def _old(previous) -> dict:
    if previous is None:
        return {"old": "", "old_source": ""}
    unit = getattr(previous, "unit", "count")
    return {"old": format_value(previous.value, unit), "old_source": str(previous.source)}


def _existing_populations(rows: list[PopulationRow]) -> dict[tuple, list[Population]]:
    """Every stored estimate of the rows' areas, years and bands, in one query."""
    if not rows:
        return {}
    candidates = (
        Population.objects.with_revision_status()
        .select_related("geography", "source")
        .filter(geography__code__in={r.geography_code for r in rows}, year__in={r.year for r in rows})
    )
    by_series: dict[tuple, list[Population]] = defaultdict(list)
    for estimate in candidates:
        by_series[(estimate.geography.code, estimate.year, estimate.age_band)].append(estimate)
    return by_series


# Publishing ------------------------------------------------------------------------


def publish(
    *, rows: list, details: SourceDetails, upload: Upload | None = None, dataset: "Dataset | None" = None
) -> Preview:
    """Write the rows' new and changed values in one transaction; return what changed."""
    dataset = dataset or FIGURES
    with transaction.atomic():
        changes = preview(rows, details, dataset)
        if not changes.changes:
            return changes
        source = _source(details)
        fresh = [c for c in changes.changes if c.kind != UploadChange.Kind.CORRECTED]
        added = dict(zip(map(id, fresh), dataset.create([c.row for c in fresh], source), strict=True))
        corrected = [c for c in changes.changes if c.kind == UploadChange.Kind.CORRECTED]
        old_values = {c.previous.pk: c.previous.value for c in corrected}
        for change in corrected:
            change.previous.value, change.previous.note = change.row.value, change.row.note
            change.previous.updated_at = timezone.now()
        dataset.model.objects.bulk_update([c.previous for c in corrected], ["value", "note", "updated_at"])
        if upload is not None:
            UploadChange.objects.bulk_create([_record(upload, c, added, old_values, dataset) for c in changes.changes])
    return changes


def _record(upload: Upload, change: Change, added: dict, old_values: dict, dataset: "Dataset") -> UploadChange:
    if change.kind == UploadChange.Kind.CORRECTED:
        written, previous, old = change.previous, None, old_values[change.previous.pk]
    else:
        written, previous = added[id(change)], change.previous
        old = previous.value if previous else None
    return UploadChange(
        upload=upload,
        kind=change.kind,
        old_value=old,
        new_value=change.row.value,
        **{dataset.change_field: written, dataset.previous_field: previous},
    )


def _create_figures(rows: list[FigureRow], source: Source) -> list[Figure]:
    periods = _periods(rows)
    ids = _reference_ids()
    return Figure.objects.bulk_create(
        [
            Figure(
                source=source,
                geography_id=ids["geography"][row.geography_code],
                period=periods[(row.period.start, row.period.end)],
                offence_id=ids["offence"][row.offence],
                measure_id=ids["measure"][row.measure],
                platform_id=ids["platform"].get(row.platform),
                value=row.value,
                unit=row.unit,
                note=row.note,
            )
            for row in rows
        ]
    )


def _create_populations(rows: list[PopulationRow], source: Source) -> list[Population]:
    geography_ids = dict(Geography.objects.values_list("code", "id"))
    return Population.objects.bulk_create(
        [
            Population(
                source=source,
                geography_id=geography_ids[row.geography_code],
                year=row.year,
                age_band=row.age_band,
                value=row.value,
                note=row.note,
            )
            for row in rows
        ]
    )


@dataclass(frozen=True)
class Dataset:
    """What differs between publishing figures and publishing population estimates."""

    model: type
    existing: Callable[[list], dict[tuple, list]]
    create: Callable[[list, Source], list]
    change_field: str
    previous_field: str


def _source(details: SourceDetails) -> Source:
    day, precision = parse_published(details.published)
    source, created = Source.objects.get_or_create(
        publisher=details.publisher,
        title=details.title,
        published=day,
        defaults={"published_precision": precision, "url": details.url, "coverage": details.coverage},
    )
    if not created and (details.url, details.coverage) != (source.url, source.coverage):
        source.url, source.coverage = details.url or source.url, details.coverage or source.coverage
        source.save(update_fields=["url", "coverage"])
    return source


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


FIGURES = Dataset(Figure, _existing_figures, _create_figures, "figure", "previous")
POPULATIONS = Dataset(Population, _existing_populations, _create_populations, "population", "previous_population")


def dataset_for(file_format: str) -> Dataset:
    return POPULATIONS if file_format == Upload.Format.POPULATION else FIGURES


# The upload's life: record, check, publish or cancel ------------------------------------


def record_upload(*, file: File, file_format: str, details: SourceDetails, user=None) -> Upload:
    """Keep the original file and what the admin said about it, before reading a row."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    upload = Upload(
        uploaded_by=user,
        file_name=Path(file.name).name[:255],
        sha256=digest.hexdigest(),
        size=file.size,
        format=file_format,
        source_publisher=details.publisher,
        source_title=details.title,
        source_published=details.published,
        source_url=details.url,
        source_coverage=details.coverage,
        status=Upload.Status.REJECTED,
    )
    upload.file.save(Path(file.name).name, file, save=False)
    upload.save()
    return upload


def details_of(upload: Upload) -> SourceDetails:
    return SourceDetails(
        upload.source_publisher, upload.source_title, upload.source_published, upload.source_url, upload.source_coverage
    )


def check_upload(upload: Upload, progress: Progress | None = None) -> tuple[ImportResult, Preview | None]:
    """Read and check every row; when all pass, preview. Records the outcome on the upload."""
    result = read_file(Path(upload.file.path), upload.format, progress)
    changes = preview(result.rows, details_of(upload), dataset_for(upload.format)) if result.ok else None
    upload.rows_read = result.rows_read
    upload.errors = [str(error) for error in result.errors]
    upload.error_count = result.error_count
    upload.skipped = dict(result.skipped)
    if changes is None:
        upload.status = Upload.Status.REJECTED
    else:
        upload.status = Upload.Status.PREVIEWED
        _count_changes(upload, changes)
        upload.preview = preview_lines(changes.changes)
    upload.save()
    return result, changes


def publish_upload(*, upload: Upload, user=None) -> Preview:
    """Check the kept file again (the data may have moved on since the preview) and publish it."""
    result = read_file(Path(upload.file.path), upload.format)
    if not result.ok:
        raise PublishError("The file no longer passes its checks: " + "; ".join(map(str, result.errors[:5])))
    with transaction.atomic():
        # Locked and checked inside the transaction, so a double click publishes once.
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != Upload.Status.PREVIEWED:
            raise PublishError(
                f"This upload is {locked.get_status_display().lower()}; only a checked upload can be published."
            )
        changes = publish(
            rows=result.rows, details=details_of(upload), upload=upload, dataset=dataset_for(upload.format)
        )
        upload.source = Source.objects.filter(**details_of(upload).key).first()
        upload.status = Upload.Status.PUBLISHED
        _count_changes(upload, changes)
        upload.decided_by, upload.decided_at = user, timezone.now()
        upload.save()
    return changes


def _count_changes(upload: Upload, changes: Preview) -> None:
    upload.figures_new, upload.figures_changed, upload.figures_unchanged = (
        changes.new,
        changes.changed,
        changes.unchanged,
    )


def cancel_upload(*, upload: Upload, user=None) -> None:
    if upload.status == Upload.Status.PREVIEWED:
        upload.status = Upload.Status.CANCELLED
        upload.decided_by, upload.decided_at = user, timezone.now()
        upload.save(update_fields=["status", "decided_by", "decided_at"])
