"""Open an uploaded file as sheets of text rows, whatever it is: CSV in any encoding
Excel writes, XLSX or ODS. Anything else is refused with a message an admin can act on.

No file, however hostile, may crash or exhaust the web process that reads it:

- CSV is scanned a megabyte at a time for NUL characters and over-long lines, then
  streamed a row at a time; a row that is too long or too wide is refused before it
  is held in memory whole.
- A spreadsheet is never parsed here. A child process (spreadsheet_to_csv.py), with
  limits on its memory, processor time and disk, checks the zip archive, reads the
  spreadsheet with python-calamine (which reads the values a spreadsheet stored and
  never evaluates a formula) and writes each sheet as a CSV file, which is then
  streamed here like any other CSV. However the child ends, the admin gets a message.
"""

import codecs
import csv
import json
import logging
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"  # XLSX and ODS are zip archives
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old Excel .xls
REFUSED_MAGIC = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image"}

# What one row may hold, in a CSV file or a sheet. A cell holds at most what an Excel
# cell can (32,767 characters); a row at most 1,000 cells, as a table of figures is a
# few dozen columns wide; and a row at most a million characters, so that reading a
# hostile file's row costs a few megabytes at worst, never the whole file.
MAX_CELL_CHARS = 32_767
MAX_ROW_CELLS = 1_000
MAX_ROW_CHARS = 1_000_000

# A CSV file's encoding is found by reading it a chunk at a time, never whole.
TEXT_CHUNK_BYTES = 1 << 20

# The csv module's own limit (131,072 by default) applies to every reader in the process;
# no file this project reads legitimately has a longer field than a spreadsheet cell.
csv.field_size_limit(MAX_CELL_CHARS)

# Limits on the child process that reads a spreadsheet. A sheet of 9.4 million cells,
# near the 10 million spreadsheet_to_csv.py lets a sheet declare, took 1.0 GB and 17
# seconds of processor time to unpack, so 2 GB and 2 minutes leave room and no more. The
# disk limit bounds the CSV files the sheets are unpacked into. Tests lower these to
# prove each one holds.
SPREADSHEET_MEMORY_BYTES = 2_000_000_000
SPREADSHEET_CPU_SECONDS = 120
SPREADSHEET_WALL_SECONDS = 180  # the child may also wait for the disk
SPREADSHEET_DISK_BYTES = 1_000_000_000

# What the child and this module agree on.
SPREADSHEET_READER = "stats.importers.spreadsheet_to_csv"
OUTCOME_FILE = "outcome.json"  # {"sheets": [names, in order]} or {"problem": "a message for the admin"}
EXIT_OUT_OF_MEMORY = 3  # the child caught a MemoryError
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # where `python -m stats...` finds the package


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, for an admin."""


@dataclass
class Sheet:
    name: str  # "" for a CSV file, which has no sheets
    rows: Iterator[list[str]]  # the header row first


Progress = Callable[[int], None]  # told how many bytes of the file have been read


def open_sheets(path: Path, *, max_bytes: int, progress: Progress | None = None) -> Iterator[Sheet]:
    """Yield the file's sheets. A CSV is one sheet; its encoding is detected from its bytes."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    refuse_size_or_type(size=path.stat().st_size, head=head, max_bytes=max_bytes)
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        yield from _spreadsheet_sheets(path)
    else:
        yield Sheet(name="", rows=_csv_rows(path, _text_encoding(path, head), progress))


def refuse_size_or_type(*, size: int, head: bytes, max_bytes: int) -> None:
    """Refuse a file that is empty, too large, or of a type we never read, from its size and first bytes."""
    if size == 0:
        raise FileProblem("The file is empty.")
    if size > max_bytes:
        shown, largest = readable_size(size), readable_size(max_bytes)
        if shown == largest:  # "200.0 MB; the largest is 200.0 MB" would read as a contradiction
            shown, largest = f"{size:,} bytes", f"{max_bytes:,} bytes"
        raise FileProblem(f"The file is {shown}; the largest file accepted is {largest}.")
    for magic, what in REFUSED_MAGIC.items():
        if head.startswith(magic):
            raise FileProblem(f"This file is {what}, whatever its name says. Upload a CSV, XLSX or ODS file.")


def readable_size(size: int) -> str:
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.1f} GB"
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


def sheet_file(folder: Path, index: int) -> Path:
    """Where the child writes the sheet at this index, counting from 0, as CSV."""
    return folder / f"sheet-{index}.csv"


# CSV ------------------------------------------------------------------------------


def _text_encoding(path: Path, head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    marked_utf8 = head.startswith(codecs.BOM_UTF8)
    if b"\x00" in head and not marked_utf8:
        raise FileProblem("This is not a text CSV file (it holds binary data). Upload a CSV, XLSX or ODS file.")
    not_utf8 = _bytes_not_utf8(path)
    if not_utf8 is None:
        return "utf-8-sig" if marked_utf8 else "utf-8"
    # A guess about the world, not a rule of any standard: a file that holds characters written as
    # UTF-8 (two to four bytes each, as "ô" and "—" are) was saved as UTF-8, and the bytes that are not
    # UTF-8 were pasted in from Windows; read as Windows-1252 it would publish "Ynys Môn" as mojibake
    # without a word. A file with no such characters at all is what Excel on Windows writes for "CSV":
    # Windows-1252. (Windows-1252 text can hold two letters that are one UTF-8 character, such as
    # "Ã" before "©"; a table of figures does not.)
    # A UTF-8 byte-order mark is itself such a character.
    if not_utf8.multibyte:
        raise FileProblem(not_utf8.message())
    if _decodes(path, "cp1252"):
        return "cp1252"
    # Five bytes mean nothing in Windows-1252 either.
    raise FileProblem("The file's text encoding is not one we recognise. Save it as CSV UTF-8 and upload it again.")


# Read as UTF-8 with errors="surrogateescape", a byte that is not UTF-8 becomes one of these
# characters; any other character past ASCII was written as UTF-8, in two to four bytes.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")


@dataclass
class _NotUtf8:
    """The bytes of a file that are not UTF-8: where the first is, how many there are, and
    whether the file holds any character of two to four bytes that is UTF-8 too."""

    line: int
    byte: int
    count: int = 0
    multibyte: bool = False

    def message(self) -> str:
        if self.count == 1:
            which, pasted = f"the byte 0x{self.byte:02X}, which is not UTF-8", "one value was"
        else:
            which = f"the byte 0x{self.byte:02X}, the first of {self.count:,} bytes that are not UTF-8"
            pasted = "some values were"
        return (
            f"Line {self.line} has {which} (the rest of the file is UTF-8): perhaps {pasted} pasted from "
            "Windows. Save the file again as CSV UTF-8."
        )


def _bytes_not_utf8(path: Path) -> _NotUtf8 | None:
    """Scan the file as UTF-8, a megabyte at a time; None if every byte is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    carry, line, found, multibyte = "", 1, None, False
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(TEXT_CHUNK_BYTES)
            text = carry + decoder.decode(chunk, final=not chunk)
            if not text.isascii():  # most files are ASCII throughout, and no search runs
                multibyte = multibyte or _MULTIBYTE.search(text) is not None
                found = _count_escaped_bytes(text, found, line)
            # A "\r" that ends a chunk may be the first half of a "\r\n": it waits for the next chunk.
            carry = "\r" if chunk and text.endswith("\r") else ""
            line += _breaks_in(text[: len(text) - len(carry)])
            if not chunk:
                break
    if found:
        found.multibyte = multibyte
    return found


def _count_escaped_bytes(text: str, found: _NotUtf8 | None, line: int) -> _NotUtf8 | None:
    """Count the bytes escaped in this text, which begins in the given line; note where the first is."""
    for escaped in _ESCAPED_BYTE.finditer(text):
        if found is None:
            where = line + _breaks_in(text[: escaped.start()])
            found = _NotUtf8(line=where, byte=ord(escaped.group()) - 0xDC00)
        found.count += 1
    return found


def _breaks_in(text: str) -> int:
    """Line breaks as the csv module reads them: "\\n", "\\r\\n", or a "\\r" alone, as an old Mac wrote."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(TEXT_CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _csv_rows(path: Path, encoding: str, progress: Progress | None, *, sheet: str = "") -> Iterator[list[str]]:
    """The file's rows, refusing any row over the limits above. A sheet's CSV, which the
    child wrote, is always comma-separated; its rows are named with the sheet in messages."""
    with path.open(encoding=encoding, newline="") as handle:
        if sheet:
            delimiter = ","
        else:
            # Excel writes ";" or tab-separated "CSV" in some settings: the header line tells which.
            delimiter = max((",", ";", "\t"), key=handle.readline(MAX_ROW_CHARS).count)
            handle.seek(0)
        spans_lines = _scan_text(path, encoding, sheet, delimiter)
        # The scan proved every line short and free of NULs. Only when a quoted cell runs over a
        # line break can a row be longer than a line; then lines are counted out one by one (slower).
        lines = _BoundedLines(handle) if spans_lines else handle
        row_number = 0  # of the last row read; the header is row 1
        try:
            for row_number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
                if spans_lines:
                    lines.row_chars = 0
                if len(row) > MAX_ROW_CELLS:
                    raise FileProblem(
                        f"{_place(sheet, row_number)} has {len(row):,} cells; we read at most {MAX_ROW_CELLS:,} "
                        "cells in a row. Delete the empty columns after your data, or check this is the right file."
                    )
                if progress and row_number % 65536 == 1:
                    progress(handle.buffer.tell())
                yield row
        except _RowRefused as refused:
            raise FileProblem(f"{_place(sheet, row_number + 1)} {refused}") from None
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise FileProblem(
                    f"{_place(sheet, row_number + 1)} has a cell longer than {MAX_CELL_CHARS:,} characters, the "
                    "most a spreadsheet cell can hold. Check this is the right file, saved as CSV."
                ) from None
            raise FileProblem(f"The CSV file is malformed: {error}.") from error


TOO_LONG = "is over {:,} characters long, far longer than a row of figures. Check this is the right file, saved as CSV."
HOLDS_NUL = (
    "holds a NUL character (a zero byte), which a file of figures never holds. "
    "Check this is the right file, or save it again as CSV UTF-8 and upload that."
)


def _scan_text(path: Path, encoding: str, sheet: str, delimiter: str) -> bool:
    """Refuse a NUL or an over-long line anywhere, before any row is parsed; say whether a
    quoted cell may run over a line break (so that a row may span lines). Only C-speed string
    searches run over the text, a chunk at a time: a million-row file costs a small part of
    reading it.

    Python's csv module passes a NUL through, and PostgreSQL refuses one in text.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    carry, line, spans_lines = "", 1, False
    with path.open("rb") as handle:
        while True:
            # A chunk no longer than a line may be: only a text's first line, which began in the
            # chunk before, can be too long.
            chunk = handle.read(MAX_ROW_CHARS)
            text = carry + decoder.decode(chunk, final=not chunk)
            nul = text.find("\x00")
            if nul >= 0:
                raise FileProblem(f"{_line(sheet, line + _breaks_in(text[:nul]))} {HOLDS_NUL}")
            if _first_line_length(text) > MAX_ROW_CHARS:
                raise FileProblem(f"{_line(sheet, line)} {TOO_LONG.format(MAX_ROW_CHARS)}")
            complete, carry = _whole_lines(text) if chunk else (text, "")
            spans_lines = spans_lines or _quoted_cell_may_span_lines(complete, delimiter)
            line += _breaks_in(complete)
            if not chunk:
                return spans_lines


def _first_line_length(text: str) -> int:
    ends = [end for end in (text.find("\n"), text.find("\r")) if end >= 0]
    return min(ends, default=len(text))


def _whole_lines(text: str) -> tuple[str, str]:
    """The text's whole lines, and what follows them: the start of a line the next chunk ends. A
    carriage return that ends the text may be the first half of a CRLF, so it waits for the next chunk."""
    end = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
    return text[:end], text[end:]


def _has_break(text: str, start: int, end: int) -> bool:
    return text.find("\n", start, end) != -1 or text.find("\r", start, end) != -1


def _quoted_cell_may_span_lines(text: str, delimiter: str) -> bool:
    """Whether a quoted cell in these whole lines holds a line break, as the csv module reads quotes:
    a quote opens a cell only at its start, and "" inside it is one quote. Unsure is yes."""
    opening = text.find('"')
    while opening != -1:
        if opening > 0 and text[opening - 1] not in (delimiter, "\n", "\r"):
            return True  # a quote inside an unquoted cell: read such a file line by line, to be safe
        closing = text.find('"', opening + 1)
        while closing != -1 and text[closing + 1 : closing + 2] == '"':  # an escaped quote: the cell goes on
            closing = text.find('"', closing + 2)
        if closing == -1 or _has_break(text, opening, closing):
            return True
        opening = text.find('"', closing + 1)
    return False


def _line(sheet: str, number: int) -> str:
    return f"Sheet '{sheet}', line {number}" if sheet else f"Line {number}"


class _RowRefused(Exception):
    """A row cannot be read; the message says why, after the row's place in the file."""


class _BoundedLines:
    """The file's lines for csv.reader when a row may run over several lines (a quoted cell
    may hold line breaks): the reader of rows resets the count of characters for each row."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.row_chars = 0

    def __iter__(self) -> "_BoundedLines":
        return self

    def __next__(self) -> str:
        line = self.handle.readline(MAX_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.row_chars += len(line)
        if self.row_chars > MAX_ROW_CHARS:
            raise _RowRefused(TOO_LONG.format(MAX_ROW_CHARS))
        return line


def _place(sheet: str, row_number: int) -> str:
    return f"Sheet '{sheet}', row {row_number}" if sheet else f"Row {row_number}"


# Spreadsheets ---------------------------------------------------------------------


def _spreadsheet_sheets(path: Path) -> Iterator[Sheet]:
    unpacked = _Unpacked()
    for index, name in enumerate(_unpack_in_child(path, unpacked.folder)):
        yield Sheet(name=name, rows=_sheet_rows(unpacked, index, name))


class _Unpacked:
    """The temporary folder a spreadsheet's sheets are unpacked into, as CSV files.

    Importers may take every Sheet before reading any sheet's rows, so the folder cannot
    go when the generator of sheets finishes. It goes when nothing can read from it any
    more: this object is held by that generator and by each sheet's rows until they are
    finished, closed or dropped.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="spreadsheet-"))
        weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)


def _sheet_rows(unpacked: _Unpacked, index: int, name: str) -> Iterator[list[str]]:
    yield from _csv_rows(sheet_file(unpacked.folder, index), "utf-8", None, sheet=name)


def _unpack_in_child(path: Path, folder: Path) -> list[str]:
    """Have a child process write every sheet of the spreadsheet into the folder as CSV; the sheets' names."""
    command = [
        sys.executable,
        "-m",
        SPREADSHEET_READER,
        str(path.resolve()),
        str(folder),
        f"--memory-bytes={SPREADSHEET_MEMORY_BYTES}",
        f"--cpu-seconds={SPREADSHEET_CPU_SECONDS}",
        f"--disk-bytes={SPREADSHEET_DISK_BYTES}",
    ]
    errors = folder / "errors.txt"  # a file, not a pipe: whatever the child prints costs us no memory
    with errors.open("wb") as error_output:
        try:
            # Limits are set by the child itself: preexec_fn is not safe in a threaded web server.
            finished = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
                command,
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                # The child prints nothing. A pipe lets the wait end the moment the child does;
                # waiting with a timeout on a process alone polls, up to 50 ms late.
                stdout=subprocess.PIPE,
                stderr=error_output,
                timeout=SPREADSHEET_WALL_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:  # the child has been killed
            logger.warning("Reading the spreadsheet %s took over %s seconds", path.name, SPREADSHEET_WALL_SECONDS)
            raise FileProblem(_too_slow(SPREADSHEET_WALL_SECONDS)) from None
        except OSError as error:  # the server could not start a process: out of memory or of processes
            logger.exception("Could not start the spreadsheet reader")
            raise FileProblem(
                "We could not read this spreadsheet just now. Upload it again in a few minutes, "
                "or save the data as CSV and upload that."
            ) from error
    if finished.returncode == 0:
        outcome = _outcome(folder)
        if "problem" in outcome:
            raise FileProblem(str(outcome["problem"]))
        return [str(name) for name in outcome["sheets"]]
    logger.warning(
        "The spreadsheet reader ended with %s on %s: %s",
        _exit_status(finished.returncode),
        path.name,
        _excerpt(errors),
    )
    raise FileProblem(_exit_message(finished.returncode))


UNREADABLE = "This spreadsheet cannot be read by our spreadsheet reader. Save it again as XLSX, ODS or CSV."


def _outcome(folder: Path) -> dict:
    try:
        with (folder / OUTCOME_FILE).open(encoding="utf-8") as handle:
            outcome = json.loads(handle.read(1_000_000))  # a few sheet names; never a whole disk's worth
        if isinstance(outcome, dict) and ("problem" in outcome or isinstance(outcome.get("sheets"), list)):
            return outcome
    except (OSError, ValueError):
        pass
    logger.warning("The spreadsheet reader left no outcome we can read in %s", folder)
    return {"problem": UNREADABLE}


def _exit_message(returncode: int) -> str:
    # Over its memory limit the child fails to allocate: Python raises MemoryError, and
    # python-calamine's Rust code aborts. The kernel's out-of-memory killer sends SIGKILL.
    if returncode in (EXIT_OUT_OF_MEMORY, -signal.SIGABRT, -signal.SIGKILL):
        return (
            f"This spreadsheet needs more memory to read than we allow ({readable_size(SPREADSHEET_MEMORY_BYTES)}). "
            "Save the data as CSV and upload that: a CSV file is read a row at a time, so has no such limit."
        )
    if returncode == -signal.SIGXCPU:
        return _too_slow(SPREADSHEET_CPU_SECONDS)
    return UNREADABLE


def _too_slow(seconds: int) -> str:
    return (
        f"This spreadsheet takes longer to read than we allow ({seconds} seconds). "
        "Save the data as CSV and upload that: a CSV file is read a row at a time, so has no such limit."
    )


def _exit_status(returncode: int) -> str:
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def _excerpt(path: Path, length: int = 1000) -> str:
    """What the child printed: a Rust abort says why on its first line, a Python traceback on its last."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        if size <= 2 * length:
            return handle.read().decode("utf-8", "replace").strip()
        head = handle.read(length)
        handle.seek(size - length)
        return f"{head.decode('utf-8', 'replace')} [...] {handle.read().decode('utf-8', 'replace')}".strip()
