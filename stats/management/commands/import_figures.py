"""python manage.py import_figures PATH --format tidy|home-office --source-... [--dry-run]

The admin's upload flow from the command line: the same checks, the same preview,
the same publishing, and the same record in the upload history.
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from stats.models import Upload
from stats.publishing import PublishError, SourceDetails, cancel_upload, check_upload, publish_upload, record_upload
from stats.release_files import not_yet_written

LARGE_FILE = 5_000_000  # bytes: files this big get a progress bar


class Command(BaseCommand):
    help = "Check, preview and publish a file of figures (our tidy template or Home Office open data tables)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", required=True, choices=Upload.Format.values)
        parser.add_argument("--source-title", required=True)
        parser.add_argument("--source-publisher", required=True)
        parser.add_argument("--source-published", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--source-url", default="")
        parser.add_argument("--source-coverage", default="")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only; publish nothing.")
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Publish even though the preview has warnings (unused columns, big jumps), having checked them.",
        )

    def handle(self, *args, path: Path, dry_run: bool, accept_warnings: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        details = SourceDetails(
            publisher=options["source_publisher"].strip(),
            title=options["source_title"].strip(),
            published=options["source_published"].strip(),
            url=options["source_url"].strip(),
            coverage=options["source_coverage"].strip(),
        )
        if problems := details.problems():
            raise CommandError("The source details have problems; nothing was read:\n  " + "\n  ".join(problems))
        with path.open("rb") as handle:
            upload = record_upload(file=File(handle, name=path.name), file_format=options["format"], details=details)
        size = path.stat().st_size
        check_upload(upload, progress=ProgressBar(self.stderr, size) if size > LARGE_FILE else None)
        if size > LARGE_FILE:
            self.stderr.write("")
        self._report(upload)
        if upload.status == Upload.Status.REJECTED:
            raise CommandError(f"{upload.error_count} problem(s) found; nothing was published.")
        if dry_run:
            cancel_upload(upload=upload)
            self.stdout.write("Dry run: nothing was published.")
            return
        if upload.warnings and not accept_warnings:
            cancel_upload(upload=upload)
            raise CommandError(
                f"{len(upload.warnings)} warning(s) to check; nothing was published. "
                "When you have checked them, run the command again with --accept-warnings."
            )
        try:
            release = publish_upload(upload=upload, warnings_confirmed=accept_warnings)
        except PublishError as error:
            raise CommandError(f"Nothing was published. {error}") from error
        if release is None:
            self.stdout.write(f"Every figure is already published: no release (upload {upload.pk}).")
            return
        self.stdout.write(
            f"Published release {release.number}: {release.summary} (upload {upload.pk}). It is live now."
        )
        if waiting := not_yet_written(release):
            self.stderr.write(f"Warning: {waiting}")

    def _report(self, upload: Upload) -> None:
        self.stdout.write(f"{upload.rows_read} rows read from {upload.file_name}.")
        for error in upload.errors:
            self.stdout.write(f"  {error}")
        if upload.error_count > len(upload.errors):
            self.stdout.write(f"  ...and {upload.error_count - len(upload.errors)} more.")
        for reason, count in upload.skipped.items():
            self.stdout.write(f"Left out: {reason}: {count}")
        for note in upload.notes:
            self.stdout.write(f"Note: {note}")
        for warning in upload.warnings:
            self.stdout.write(f"Warning: {warning}")
        if upload.status == Upload.Status.PREVIEWED:
            self.stdout.write(
                f"Preview: {upload.figures_new} new, {upload.figures_changed} changed, "
                f"{upload.figures_unchanged} unchanged."
            )
            for line in upload.preview:
                old = f"{line['old']} -> " if line["old"] else ""
                self.stdout.write(
                    f"  {line['kind']}: {line['area']} {line['period']} {line['measure']} {old}{line['new']}"
                )


class ProgressBar:
    """How far through a large file the reader is, drawn on stderr."""

    def __init__(self, stream, size: int) -> None:
        self.stream, self.size = stream, size

    def __call__(self, done: int) -> None:
        filled = int(30 * done / self.size)
        self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {100 * done // self.size:3d}%", ending="")
        self.stream.flush()
