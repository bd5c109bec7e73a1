"""Bulk downloads of every current figure, one pair of files (CSV and JSON) per release.

Each release's files are written once, right after it commits, from the figures as they
stood then (`Figure.objects.current_after(N)`), and kept in the default storage (shared by
every server). /data/releases/<N>/figures.csv then returns the same bytes for ever, and
/data/figures.csv returns the latest release's. A release published before these files
existed gets its files the first time someone asks for them.
"""

import hashlib
import logging
import tempfile
from collections.abc import Iterator

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from stats.file_formats import csv_lines, json_document_chunks
from stats.models import Figure, Release, ReleaseFile
from stats.records import DOWNLOAD_COLUMNS

logger = logging.getLogger(__name__)
FORMATS = tuple(ReleaseFile.Format.values)
TITLE = "Online child grooming crime in the UK: every current figure"


def file_name(release: Release, file_format: str) -> str:
    """What the file is called on a reader's disk: says what it holds and as of when."""
    day = timezone.localdate(release.published_at)
    return f"online-grooming-figures-{day.isoformat()}-release-{release.number}.{file_format}"


def release_file(release: Release, file_format: str) -> ReleaseFile:
    """The release's file in this format, written now if it has never been."""
    existing = ReleaseFile.objects.filter(release=release, format=file_format).first()
    return existing or _write(release, file_format)


def write_release_files(number: int) -> None:
    """Called when a release commits: write its files while the data is exactly as it published it."""
    release = Release.objects.get(number=number)
    for file_format in FORMATS:
        release_file(release, file_format)


def _write(release: Release, file_format: str) -> ReleaseFile:
    counted = _Counter()
    chunks = _chunks(release, file_format, counted)
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as temporary:
        for chunk in chunks:
            data = chunk.encode("utf-8")
            digest.update(data)
            temporary.write(data)
        size = temporary.tell()
        temporary.seek(0)
        written = ReleaseFile(
            release=release, format=file_format, sha256=digest.hexdigest(), size=size, figures=counted.rows
        )
        written.file.save(
            f"{release.number}/figures-{digest.hexdigest()[:12]}.{file_format}", File(temporary), save=False
        )
    try:
        with transaction.atomic():
            written.save()
    except IntegrityError:  # another process wrote it first: theirs stands, ours goes
        written.file.delete(save=False)
        return ReleaseFile.objects.get(release=release, format=file_format)
    logger.info("Wrote release %s figures as %s: %s rows, %s bytes", release.number, file_format, counted.rows, size)
    return written


class _Counter:
    rows = 0

    def __call__(self, items: Iterator) -> Iterator:
        for item in items:
            self.rows += 1
            yield item


def _chunks(release: Release, file_format: str, counted: _Counter) -> Iterator[str]:
    records = counted(Figure.objects.current_after(release.number).iter_records())
    if file_format == ReleaseFile.Format.CSV:
        return csv_lines(list(DOWNLOAD_COLUMNS), (record.fields() for record in records))
    head = {
        "title": TITLE,
        "release": release.number,
        "release_published": timezone.localtime(release.published_at).isoformat(),
        "columns": DOWNLOAD_COLUMNS,
    }
    return json_document_chunks(head, "figures", (record.json_fields() for record in records))
