"""Open an uploaded file as sheets of text rows, whatever it is: CSV in any encoding
Excel writes, XLSX or ODS. Anything else is refused with a message an admin can act on.

Spreadsheets are read with python-calamine, which reads the values a spreadsheet
stored and never evaluates a formula. CSV is streamed, so a file of a million rows
is never held in memory.
"""

import codecs
import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

ZIP_MAGIC = b"PK\x03\x04"  # XLSX and ODS are zip archives
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old Excel .xls
REFUSED_MAGIC = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image"}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, for an admin."""


@dataclass
class Sheet:
    name: str  # "" for a CSV file, which has no sheets
    rows: Iterator[list[str]]  # the header row first


Progress = Callable[[int], None]  # told how many bytes of the file have been read


def open_sheets(path: Path, *, max_bytes: int, progress: Progress | None = None) -> Iterator[Sheet]:
    """Yield the file's sheets. A CSV is one sheet; its encoding is detected from its bytes."""
    size = path.stat().st_size
    if size == 0:
        raise FileProblem("The file is empty.")
    if size > max_bytes:
        raise FileProblem(
            f"The file is {readable_size(size)}; the largest file accepted is {readable_size(max_bytes)}."
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    for magic, what in REFUSED_MAGIC.items():
        if head.startswith(magic):
            raise FileProblem(f"This file is {what}, whatever its name says. Upload a CSV, XLSX or ODS file.")
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        yield from _spreadsheet_sheets(path)
    else:
        yield Sheet(name="", rows=_csv_rows(path, _text_encoding(path, head), progress))


def _text_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise FileProblem("This is not a text CSV file (it holds binary data). Upload a CSV, XLSX or ODS file.")
    # UTF-8 when every byte decodes as UTF-8, otherwise Windows-1252, which Excel on
    # Windows writes for "CSV". Five bytes mean nothing in Windows-1252 either.
    for encoding in ("utf-8", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    raise FileProblem("The file's text encoding is not one we recognise. Save it as CSV UTF-8 and upload it again.")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _csv_rows(path: Path, encoding: str, progress: Progress | None) -> Iterator[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        header = handle.readline()
        handle.seek(0)
        # Excel writes ";" or tab-separated "CSV" in some settings: the header line tells which.
        delimiter = max((",", ";", "\t"), key=header.count)
        try:
            for count, row in enumerate(csv.reader(handle, delimiter=delimiter)):
                if progress and count % 65536 == 0:
                    progress(handle.buffer.tell())
                yield row
        except csv.Error as error:
            raise FileProblem(f"The CSV file is malformed: {error}.") from error


def _spreadsheet_sheets(path: Path) -> Iterator[Sheet]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except CalamineError as error:
        raise FileProblem(f"This spreadsheet cannot be read ({error}). Save it again as XLSX, ODS or CSV.") from error
    except Exception as error:  # calamine raises plain errors for files that are not spreadsheets at all
        raise FileProblem("This file is not a spreadsheet we can read. Upload a CSV, XLSX or ODS file.") from error
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        yield Sheet(name=name, rows=(list(map(_cell_text, row)) for row in sheet.iter_rows()))


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would have held."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def readable_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
