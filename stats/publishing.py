"""Uploads, from file to release: keep the file, check every row, preview, publish.

Nothing is written until every row of a file has passed. Publishing hands the rows
to the publish service (stats/releases.py), which writes them as one release: a
value that differs from the current one is added beside it, so the earlier figure
stays as a revision; a same-source correction withdraws the old row. Re-publishing
a file therefore changes nothing and makes no release.
"""

import calendar
import contextlib
import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from stats.importers.files import FileProblem, Progress, open_sheets, refuse_size_or_type
from stats.importers.home_office import Area, read_home_office
from stats.importers.population import read_population
from stats.importers.results import ImportResult
from stats.importers.rows import check_cell
from stats.importers.tidy import FigureRow, MeasureRule, Vocabulary, parse_figure, read_tidy
from stats.models import Figure, Geography, Measure, Offence, Platform, Release, Source, Upload
from stats.models.sources import parse_published
from stats.numbers import format_value
from stats.releases import (
    Entry,
    Plan,
    PublishError,
    SourceDetails,
    describe,
    period_label_clashes,
    plan,
    publish,
    source_disagreements,
)

PREVIEW_LINES_KEPT = 2000

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
    except OSError as error:  # the disk filled while a spreadsheet was turned into rows, say
        result = ImportResult()
        result.file_error(
            f"The file could not be read on the server ({error.strerror or error}). Nothing was published: "
            "tell whoever runs the server (the disk may be full), then upload it again."
        )
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


# The upload's life: record, check, publish or cancel ------------------------------------


def record_upload(*, file: File, file_format: str, details: SourceDetails, user=None) -> Upload:
    """Record the upload and what the admin said about it, before reading a row.

    The original is kept for the record, unless it is refused for its size or type:
    such a file is never stored.
    """
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    head = file.read(4096)
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
    try:
        refuse_size_or_type(size=file.size, head=head, max_bytes=settings.UPLOAD_MAX_BYTES)
        _keep(upload, file)
    except FileProblem as problem:
        upload.errors, upload.error_count = [str(problem)], 1
    upload.save()
    return upload


def _keep(upload: Upload, file: File) -> None:
    """Store the original, whole or not at all: a disk that fills part-way leaves no part-file."""
    storage = upload.file.storage
    # Named before writing, so a failed write deletes exactly its own file.
    name = storage.get_available_name(upload.file.field.generate_filename(upload, Path(file.name).name))
    try:
        upload.file.name = storage.save(name, file)
    except OSError as error:
        with contextlib.suppress(OSError):
            storage.delete(name)
        upload.file.name = ""
        raise FileProblem(
            f"The file could not be kept on the server ({error.strerror or error}), so nothing was read or "
            "published. Tell whoever runs the server (the disk may be full), then upload it again."
        ) from error


def details_of(upload: Upload) -> SourceDetails:
    return SourceDetails(
        upload.source_publisher, upload.source_title, upload.source_published, upload.source_url, upload.source_coverage
    )


def check_upload(upload: Upload, progress: Progress | None = None) -> tuple[ImportResult, Plan | None]:
    """Read and check every row; when all pass, preview. Records the outcome on the upload."""
    if not upload.file:
        return ImportResult(), None  # refused for its size or type when it arrived
    result = read_file(Path(upload.file.path), upload.format, progress)
    if result.ok:
        for problem in [*source_disagreements(details_of(upload)), *period_label_clashes(result.rows)]:
            result.file_error(problem)
    changes = plan(_entries(result, upload)) if result.ok else None
    upload.rows_read = result.rows_read
    upload.errors = [str(error) for error in result.errors]
    upload.error_count = result.error_count
    upload.skipped = dict(result.skipped)
    upload.notes = list(result.notes)
    if changes is None:
        upload.status = Upload.Status.REJECTED
    else:
        upload.status = Upload.Status.PREVIEWED
        _count_changes(upload, changes)
        upload.warnings = [
            *result.warnings,
            *_ends_after_publication(result.rows, details_of(upload)),
            *changes.warnings,
        ]
        upload.preview = preview_lines(changes)
    upload.save()
    return result, changes


def _entries(result: ImportResult, upload: Upload) -> list[Entry]:
    details = details_of(upload)
    return [Entry(row, details) for row in result.rows]


def _ends_after_publication(rows: list, details: SourceDetails) -> list[str]:
    """A source cannot count a period that had not ended when it published: a wrong year, or the wrong source."""
    day, precision = parse_published(details.published)
    last_day = {"year": day.replace(month=12, day=31), "month": _month_end(day)}.get(precision, day)
    late = sorted({row.period.label for row in rows if isinstance(row, FigureRow) and row.period.end > last_day})
    if not late:
        return []
    return [
        f"The period{'s' if len(late) > 1 else ''} {', '.join(late)} ended after the source was published "
        f"({details.published}). Check the periods and the publication date."
    ]


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def preview_lines(changes: Plan) -> list[dict]:
    """The preview as the admin sees it: every piece of text that will go live, old and new values side by side."""
    return [_line(change) for change in changes.changes[:PREVIEW_LINES_KEPT]]


def _line(change) -> dict:
    row, previous = change.entry.row, change.previous
    if isinstance(row, FigureRow):
        what = {"period": row.period.label, "offence": row.offence, "measure": row.measure, "platform": row.platform}
        new = format_value(row.value, row.unit, row.qualifier)
    else:
        what = {"period": f"mid-{row.year}", "offence": "", "measure": f"population {row.age_band}", "platform": ""}
        new = f"{row.value:,}"
    old = format_value(previous.value, getattr(previous, "unit", "count")) if previous else ""
    return {
        "kind": change.kind,
        "area": row.geography_code,
        **what,
        "new": new,
        "note": row.note,
        "old": old,
        "old_source": str(previous.source) if previous else "",
    }


def publish_upload(*, upload: Upload, user=None, warnings_confirmed: bool = False) -> Release | None:
    """Check the kept file again (the data may have moved on since the preview) and publish it as a release."""
    if upload.warnings and not warnings_confirmed:
        raise PublishError("Tick the box to confirm you have checked the warnings, then publish.")
    result = read_file(Path(upload.file.path), upload.format) if upload.file else None
    if result is None or not result.ok:
        errors = "; ".join(map(str, result.errors[:5])) if result else "the file was not kept"
        raise PublishError("The file no longer passes its checks: " + errors)
    with transaction.atomic():
        # Locked and checked inside the transaction, so a double click publishes once.
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != Upload.Status.PREVIEWED:
            raise PublishError(
                f"This upload is {locked.get_status_display().lower()}; only a checked upload can be published."
            )
        release, changes = publish(
            entries=_entries(result, upload),
            kind=Release.Kind.UPLOAD,
            summary=lambda changes: upload_summary(changes, details_of(upload)),
            user=user,
            upload=upload,
            check=lambda changes: _no_new_warnings(changes, upload),
        )
        publisher, title, published = details_of(upload).key
        upload.source = Source.objects.filter(publisher=publisher, title=title, published=published).first()
        upload.status = Upload.Status.PUBLISHED if release else Upload.Status.ALREADY_PUBLISHED
        _count_changes(upload, changes)
        upload.decided_by, upload.decided_at = user, timezone.now()
        upload.save()
    return release


def _no_new_warnings(changes: Plan, upload: Upload) -> None:
    """The data may have moved on since the preview: a warning the admin has not seen stops the publish."""
    unseen = [warning for warning in changes.warnings if warning not in upload.warnings]
    if unseen:
        raise PublishError(
            "Since the preview, the published figures have changed and there is a new warning: "
            f"{unseen[0]} Upload the file again to check it."
        )


def upload_summary(changes: Plan, details: SourceDetails) -> str:
    return f"{describe(changes)}, from {details.publisher}: {details.title}"[:300]


def _count_changes(upload: Upload, changes: Plan) -> None:
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


# Corrections -------------------------------------------------------------------------------


def corrected_row(figure: Figure, *, value: str, note: str) -> FigureRow:
    """The figure with a new value and note, checked by exactly the rules an upload's rows meet.

    Raises stats.importers.rows.CellError, whose message is for the admin.
    """
    cells = {
        "geography_code": figure.geography.code,
        "period_label": figure.period.label,
        "period_start": figure.period.start.isoformat(),
        "period_end": figure.period.end.isoformat(),
        "offence": figure.offence.slug,
        "measure": figure.measure.slug,
        "platform": figure.platform.name if figure.platform else "",
        "value": value.strip(),
        "unit": figure.unit,
        "note": note.strip(),
        "qualifier": figure.qualifier,
        "coverage": figure.coverage,
    }
    check_cell("note", cells["note"], multiline=True)
    check_cell("value", cells["value"])
    return parse_figure(cells, vocabulary())
