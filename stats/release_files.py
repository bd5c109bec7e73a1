"""Bulk downloads of every current figure, one pair of files (CSV and JSON) per release.

Each release's files are written once, right after it commits, from the figures as they
stood then (`Figure.objects.current_after(N)`), and kept in the default storage (shared by
every server). /data/releases/<N>/figures.csv then returns the same bytes for ever, and
/data/figures.csv returns the latest release's.

Writing can fail after the release is live (a full disk, a storage that stops answering). The
release stays live, and nothing half-written is ever served: a file's row is saved only once
its every byte is stored, and a failed attempt deletes what it wrote. A release whose files
are missing gets them the next time someone asks for them, by itself, with at most one attempt
a minute while the cause lasts (`RETRY_SECONDS`); until then its downloads say "being prepared".
"""

import contextlib
import hashlib
import logging
import secrets
import tempfile
from collections.abc import Iterator

from django.core.cache import cache
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from stats.file_formats import csv_lines, json_document_chunks
from stats.models import Figure, Release, ReleaseFile
from stats.records import DOWNLOAD_COLUMNS

logger = logging.getLogger(__name__)
FORMATS = tuple(ReleaseFile.Format.values)
TITLE = "Online child grooming crime in the UK: every current figure"
# After a failed write, how long every server waits before trying again: a full disk stays full
# for a while, and each attempt costs a pass over every figure.
RETRY_SECONDS = 60


class FilesNotReady(Exception):
    """The release is live, but this file of it cannot be sent yet."""


def file_name(release: Release, file_format: str) -> str:
    """What the file is called on a reader's disk: says what it holds and as of when."""
    day = timezone.localdate(release.published_at)
    return f"online-grooming-figures-{day.isoformat()}-release-{release.number}.{file_format}"


def release_file(release: Release, file_format: str) -> ReleaseFile:
    """The release's file in this format, written now if it has never been; FilesNotReady if it
    cannot be sent now."""
    existing = ReleaseFile.objects.filter(release=release, format=file_format).first()
    if existing is None:
        return _write_unless_resting(release, file_format)
    if not _whole(existing):
        # Its bytes were cited as they are: rewriting them from today's names could change them,
        # so an operator restores the file (a MEDIA_ROOT not shared by every server, or lost).
        logger.error("Release %s's %s file %s is missing or damaged.", release.number, file_format, existing.file.name)
        raise FilesNotReady(f"The {file_format.upper()} file of release {release.number} is missing from storage.")
    return existing


def ready_files(release: Release) -> dict[str, ReleaseFile]:
    """The release's files that can be sent now, by format: a missing one is simply absent."""
    files = {}
    for file_format in FORMATS:
        with contextlib.suppress(FilesNotReady):
            files[file_format] = release_file(release, file_format)
    return files


def write_release_files(number: int) -> str:
    """Called when a release commits: write its files while the data is exactly as it published
    it. Never raises: the release is live whatever happens here. Returns what went wrong, if
    anything, in words for the admin who published it ("" when both files are written)."""
    try:
        release = Release.objects.get(number=number)
        for file_format in FORMATS:
            release_file(release, file_format)
    except FilesNotReady as problem:
        return str(problem)
    except Exception as error:  # any failure here must not undo the news that the release is live
        logger.exception("Could not write release %s's files.", number)
        return f"The download files of release {number} could not be written ({error})."
    return ""


def not_yet_written(release: Release) -> str:
    """For the admin who just published, in words: what of the release is not live yet, or "".
    Asks for the files rather than reading a note: written already, that is two indexed reads."""
    problem = write_release_files(release.number)
    return problem and (
        f"{problem} Everything else is live. The files are written by themselves the next time someone "
        "asks for them, and until then the open data page says they are being prepared."
    )


def _whole(stored: ReleaseFile) -> bool:
    try:
        return stored.file.size == stored.size
    except OSError:
        return False


def _write_unless_resting(release: Release, file_format: str) -> ReleaseFile:
    if cause := cache.get(resting_key(release.number)):
        raise FilesNotReady(_not_written(release, cause))
    try:
        return _write(release, file_format)
    except OSError as error:
        cause = error.strerror or str(error)
        logger.error("%s Trying again at the next request after %s s.", _not_written(release, cause), RETRY_SECONDS)
        cache.set(resting_key(release.number), cause, timeout=RETRY_SECONDS)
        raise FilesNotReady(_not_written(release, cause)) from error


def _not_written(release: Release, cause: str) -> str:
    return f"The download files of release {release.number} could not be written: {cause}."


def resting_key(number: int) -> str:
    return f"release-files:problem:{number}"


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
        # A name no other attempt uses, so a failed write deletes only its own bytes.
        name = f"{release.number}/figures-{digest.hexdigest()[:12]}-{secrets.token_hex(4)}.{file_format}"
        try:
            written.file.save(name, File(temporary), save=False)
        except OSError:
            _delete_quietly(written.file.storage, written.file.field.generate_filename(written, name))
            raise
    try:
        with transaction.atomic():
            written.save()
    except IntegrityError:  # another process wrote it first: theirs stands, ours goes
        written.file.delete(save=False)
        return ReleaseFile.objects.get(release=release, format=file_format)
    logger.info("Wrote release %s figures as %s: %s rows, %s bytes", release.number, file_format, counted.rows, size)
    return written


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.exception("Could not delete the part-written file %s.", name)


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
