"""Unpack a spreadsheet into one CSV file a sheet, in a process of its own.

files.py runs this module as `python -m stats.importers.spreadsheet_to_csv` for each
spreadsheet uploaded, so the web process never parses one. It limits its own memory,
processor time and disk before it reads anything; a hostile file can then at worst
end this process, and files.py turns the way it ended into a message for the admin.

Before any parser runs, the zip archive an XLSX or ODS file is made of is checked from
its table of contents, and an XLSX file's sheets from the range each declares, so that
most hostile files are refused with a precise message rather than by a limit.

This module must not import Django: it starts once per upload, and should take tens of
milliseconds to do so, not the second Django takes to set itself up.
"""

import argparse
import csv
import datetime as dt
import errno
import json
import posixpath
import re
import resource
import signal
import sys
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError

from stats.importers.files import (
    EXIT_OUT_OF_MEMORY,
    OUTCOME_FILE,
    ZIP_MAGIC,
    FileProblem,
    readable_size,
    sheet_file,
)

# What we read of a zip archive. A workbook of figures has a few dozen parts, never
# thousands. A sheet of 10 million cells (MAX_SHEET_CELLS) is 0.4 to 0.8 GB of XML, so
# 1 GB in a part or in all is room enough. Real sheets compress 10 to 100 times; a part
# over 1 MB compressed over 200 times is a zip bomb. (The size is checked first, so a
# bomb of gigabytes is refused for its size, the message an admin understands best.)
MAX_PARTS = 10_000
MAX_PART_BYTES = 1_000_000_000
MAX_TOTAL_BYTES = 1_000_000_000
MAX_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1_000_000

# python-calamine holds a whole sheet in memory, and allocates the range its cells span
# at once: a sheet declaring A1:XFD1048576 asks for 550 GB. 10 million cells allow a
# sheet as tall as Excel allows (1,048,576 rows) and 9 columns wide, which we measured
# at 1.0 GB and 17 seconds of processor time with short text in every cell. An XLSX
# file declares each sheet's range near the start of the sheet, so we read that much;
# an ODS file declares none, and its repeats are counted instead (ODS_CONTENT below).
MAX_SHEET_CELLS = 10_000_000
DIMENSION_SEARCH_BYTES = 64 * 1024
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"([^\"]{1,40})\"")
CORNER = re.compile(r"\$?([A-Z]{1,10})\$?(\d{1,10})")

# An ODS file declares no range. Instead a row may say it repeats (table:number-rows-repeated)
# and so may a cell (table:number-columns-repeated), and python-calamine holds every repeat of
# a row that holds a value: 4.7 KB can ask for 40 columns of 300,000 rows. So the rows and
# columns each table asks for are counted from content.xml, streamed a megabyte at a time with
# no tree built, and held to MAX_SHEET_CELLS too. LibreOffice ends many sheets with a million
# empty rows of 1,024 empty cells, repeated; python-calamine keeps no row or column after the
# last value, and neither does the count.
# Besides, a row that holds values is repeated only where consecutive rows are identical, which
# a table of figures (each row another area, offence or year) hardly ever has: so a sheet
# whose repeats of such rows make more than MAX_REPEATED_VALUE_CELLS cells is refused, however
# few cells it asks for in all. That limit is our guess about real files, not a rule of ODS.
MAX_REPEATED_VALUE_CELLS = 1_000_000
ODS_CONTENT = "content.xml"
ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
ODS_CELLS = {f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell"}
XML_CHUNK_BYTES = 1 << 20

# Each sheet is a file on disk; a workbook of figures has a handful.
MAX_SHEETS = 200

# A zip archive python-calamine can read holds one of these: XLSX, XLSB, ODS.
WORKBOOK_PARTS = {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}

XML_REFUSED = (
    "This spreadsheet's XML is malformed or uses features we refuse, such as entity definitions. "
    "Save it again from Excel or LibreOffice, or save the data as CSV, and upload that."
)
DAMAGED = (
    "This spreadsheet cannot be read: it is not a complete zip archive, as XLSX and ODS files are. "
    "It may have been cut short while saving or uploading. Save it again and upload it again."
)
SAVE_AS_CSV = "Save the data as CSV and upload that."
TOO_MANY_CELLS = (
    f"we read at most {MAX_SHEET_CELLS:,} cells a sheet. Delete any rows and columns after your data and save "
    "it again, or save the data as CSV and upload that: a CSV file has no such limit."
)


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    _limit_resources(memory=arguments.memory_bytes, cpu=arguments.cpu_seconds, disk=arguments.disk_bytes)
    try:
        if _starts_with(arguments.source, ZIP_MAGIC):
            check_archive(arguments.source)
        outcome = {"sheets": write_sheets(arguments.source, arguments.folder, disk_bytes=arguments.disk_bytes)}
    except FileProblem as problem:
        outcome = {"problem": str(problem)}
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    (arguments.folder / OUTCOME_FILE).write_text(json.dumps(outcome), encoding="utf-8")
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Write each sheet of a spreadsheet as a CSV file in a folder.")
    parser.add_argument("source", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--memory-bytes", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--disk-bytes", type=int, required=True)
    return parser.parse_args(argv)


def _limit_resources(*, memory: int, cpu: int, disk: int) -> None:
    _lower(resource.RLIMIT_AS, memory, memory)
    _lower(resource.RLIMIT_CPU, cpu, cpu + 5)  # SIGXCPU at the soft limit; SIGKILL if that is ignored
    _lower(resource.RLIMIT_FSIZE, disk, disk)
    _lower(resource.RLIMIT_CORE, 0, 0)  # a process of 2 GB that aborts must not leave a core file
    # Over the disk limit, a write then fails with EFBIG, which write_sheets reports, rather
    # than the process being killed.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _lower(limit: int, soft: int, hard: int) -> None:
    """Lower a limit; never try to raise one the server has set lower, which is refused."""
    _, current = resource.getrlimit(limit)
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(limit, (soft, hard))


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(magic)) == magic


# Checks on the zip archive ----------------------------------------------------------


def check_archive(path: Path) -> None:
    """Refuse a zip archive that is damaged, or that would unpack to more than we read."""
    try:
        with zipfile.ZipFile(path) as archive:
            if not WORKBOOK_PARTS.intersection(archive.namelist()):
                raise FileProblem(
                    "This file is a zip archive but not a spreadsheet: it holds no workbook. "
                    "Upload a CSV, XLSX or ODS file."
                )
            _check_table_of_contents(archive.infolist())
            _check_declared_ranges(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        # RuntimeError: zipfile's word for a part that is encrypted.
        raise FileProblem(DAMAGED) from error


def _check_table_of_contents(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise FileProblem(
            f"The spreadsheet is a zip archive of {len(parts):,} parts, over the {MAX_PARTS:,} we read. {SAVE_AS_CSV}"
        )
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            raise FileProblem(
                f"The spreadsheet's part {part.filename} unzips to {readable_size(part.file_size)}, "
                f"over the {readable_size(MAX_PART_BYTES)} we read. {SAVE_AS_CSV}"
            )
        if part.file_size > RATIO_CHECKED_FROM_BYTES and part.file_size > MAX_RATIO * part.compress_size:
            raise FileProblem(
                f"The spreadsheet's part {part.filename} unzips to {readable_size(part.file_size)} from "
                f"{readable_size(part.compress_size)}, compressed over {MAX_RATIO} to 1 as only files made to "
                f"exhaust memory are. {SAVE_AS_CSV}"
            )
    total = sum(part.file_size for part in parts)
    if total > MAX_TOTAL_BYTES:
        raise FileProblem(
            f"The spreadsheet unzips to {readable_size(total)} in all, over the {readable_size(MAX_TOTAL_BYTES)} "
            f"we read. {SAVE_AS_CSV}"
        )


def _check_declared_ranges(archive: zipfile.ZipFile) -> None:
    """Refuse an XLSX or ODS sheet that asks for too many cells for python-calamine to hold."""
    for part, name in _sheet_names_by_part(archive).items():
        declared = _declared_range(archive, part)
        cells = _cell_count(declared) if declared else 0
        if cells > MAX_SHEET_CELLS:
            raise FileProblem(
                f"Sheet '{name}' declares the range {declared}, which is {cells:,} cells; {TOO_MANY_CELLS}"
            )
    if ODS_CONTENT in archive.namelist():
        _check_ods_tables(archive)


def _sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each XLSX worksheet's part in the archive, with its sheet's name. Empty for an ODS file."""
    try:
        sheets = _elements(archive, "xl/workbook.xml", "sheet")
        relationships = _elements(archive, "xl/_rels/workbook.xml.rels", "Relationship")
    except KeyError:  # not an XLSX file; or one python-calamine will refuse for the part it lacks
        return {}
    targets = {relationship.get("Id"): relationship.get("Target", "") for relationship in relationships}
    return {
        _part_named_by(targets[sheet["id"]]): sheet.get("name", "") for sheet in sheets if targets.get(sheet.get("id"))
    }


def _elements(archive: zipfile.ZipFile, part: str, name: str) -> list[dict[str, str]]:
    """The attributes of each element of this name in an XML part, by their names without namespaces.

    The part is parsed as a stream (see _parse).
    """
    found = []

    def start(element: str, attributes: dict[str, str]) -> None:
        if _local(element) == name:
            found.append({_local(attribute): value for attribute, value in attributes.items()})

    _parse(archive, part, start=start)
    return found


def _parse(archive: zipfile.ZipFile, part: str, *, start, end=None) -> None:
    """Stream an XML part of the archive through these handlers of elements, a megabyte at a time.

    No tree is built, and a document type declaration is refused outright, with any entity it
    would define: no workbook needs one, and entities are how XML bombs are built. (defusedxml
    does the same, but is not among the requirements; expat, in the standard library, suffices.)
    """

    def refuse(*_) -> None:
        raise FileProblem(XML_REFUSED)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(XML_CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FileProblem(XML_REFUSED) from error


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _part_named_by(target: str) -> str:
    """A workbook relationship's target, as a part of the archive: relative to xl/ unless absolute."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _declared_range(archive: zipfile.ZipFile, part: str) -> str | None:
    try:
        with archive.open(part) as stream:
            head = stream.read(DIMENSION_SEARCH_BYTES)  # unzips this much, not the whole part
    except KeyError:  # a sheet with no part: python-calamine will say so
        return None
    match = DIMENSION.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _cell_count(declared: str) -> int:
    """The cells in a range such as A1:XFD1048576; 0 if it is not a range we understand."""
    corners = [CORNER.fullmatch(corner) for corner in declared.upper().split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return 0
    (first_column, first_row), (last_column, last_row) = corners[0].groups(), corners[-1].groups()
    rows = abs(int(last_row) - int(first_row)) + 1
    columns = abs(_column_number(last_column) - _column_number(first_column)) + 1
    return rows * columns


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _check_ods_tables(archive: zipfile.ZipFile) -> None:
    """Refuse an ODS table whose repeated rows and cells ask for too many cells (see ODS_CONTENT)."""
    tables = _OdsTables()
    _parse(archive, ODS_CONTENT, start=tables.start, end=tables.end)


class _OdsTables:
    """The handlers that count, as content.xml streams past, the cells each table asks
    python-calamine to hold, as it reckons them: the rows from the first with a value to the
    last, repeats and all, times the columns from the first value in any row to the last.
    A cell holds a value when it has a type (office:value-type); python-calamine reads any
    other cell as empty, whatever it holds. A table is refused as soon as it asks for too many.
    """

    def __init__(self) -> None:
        self._begin_table("")
        self._begin_row(1)
        self.cell_depth = 0  # elements open in the current cell, the cell itself included

    def _begin_table(self, name: str) -> None:
        self.name = name
        self.rows = 0  # in this table so far, counting repeats
        self.first_row: int | None = None  # the first row with a value
        self.rows_asked = 0
        self.repeated_value_cells = 0  # cells made by repeating rows that hold values
        self.first_column, self.end_column = sys.maxsize, 0  # of the values in all rows so far

    def _begin_row(self, repeats: int) -> None:
        self.row_repeats, self.row_columns = repeats, 0
        self.row_first_column: int | None = None
        self.row_end_column = 0  # after its last value

    def start(self, element: str, attributes: dict[str, str]) -> None:
        if self.cell_depth:  # within a cell: its text, or a table of its own, which is no row of this one
            self.cell_depth += 1
        elif element == f"{ODS_TABLE}table":
            self._begin_table(attributes.get(f"{ODS_TABLE}name", ""))
        elif element == f"{ODS_TABLE}table-row":
            self._begin_row(_repeats(attributes, "number-rows-repeated"))
        elif element in ODS_CELLS:
            repeats = _repeats(attributes, "number-columns-repeated")
            if ODS_VALUE_TYPE in attributes:
                if self.row_first_column is None:
                    self.row_first_column = self.row_columns
                self.row_end_column = self.row_columns + repeats
            self.row_columns += repeats
            self.cell_depth = 1

    def end(self, element: str) -> None:
        if self.cell_depth:
            self.cell_depth -= 1
        elif element == f"{ODS_TABLE}table-row":
            # An empty row, however often repeated, is asked for only once a row with a value follows it.
            if self.row_first_column is not None:
                if self.first_row is None:
                    self.first_row = self.rows
                self.rows_asked = self.rows + self.row_repeats - self.first_row
                self.first_column = min(self.first_column, self.row_first_column)
                self.end_column = max(self.end_column, self.row_end_column)
                self.repeated_value_cells += (self.row_repeats - 1) * (self.row_end_column - self.row_first_column)
                self._refuse_if_too_many()
            self.rows += self.row_repeats

    def _refuse_if_too_many(self) -> None:
        if self.repeated_value_cells > MAX_REPEATED_VALUE_CELLS:
            raise FileProblem(
                f"Sheet '{self.name}' repeats rows of values to make {self.repeated_value_cells:,} cells, over the "
                f"{MAX_REPEATED_VALUE_CELLS:,} we read: a table of figures rarely has two identical rows. {SAVE_AS_CSV}"
            )
        columns = self.end_column - self.first_column
        cells = self.rows_asked * columns
        if cells > MAX_SHEET_CELLS:
            raise FileProblem(
                f"Sheet '{self.name}' repeats its rows and cells to make {self.rows_asked:,} rows of {columns:,} "
                f"columns or more, which is {cells:,} cells; {TOO_MANY_CELLS}"
            )


def _repeats(attributes: dict[str, str], name: str) -> int:
    """How many times a row or cell repeats: once, unless it says otherwise in digits."""
    text = attributes.get(f"{ODS_TABLE}{name}", "")
    if not (text.isascii() and text.isdigit()) or len(text) > 30:
        return 1  # python-calamine refuses the file, or reads it; either way it asks for nothing more
    return max(1, int(text))


# Writing the sheets -----------------------------------------------------------------


def write_sheets(source: Path, folder: Path, *, disk_bytes: int) -> list[str]:
    """Write each sheet of the spreadsheet into the folder as CSV, in order; the sheets' names."""
    try:
        workbook = _open_workbook(source)
        names = workbook.sheet_names
        if len(names) > MAX_SHEETS:
            raise FileProblem(
                f"This spreadsheet has {len(names):,} sheets; we read at most {MAX_SHEETS}. "
                "Move the figures into fewer sheets, or save them as CSV files."
            )
        written = 0
        for index in range(len(names)):
            rows = workbook.get_sheet_by_index(index).iter_rows()
            with sheet_file(folder, index).open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows([_cell_text(value) for value in row] for row in rows)
                written += handle.tell()
            if written > disk_bytes:
                raise _too_much_text(disk_bytes)
    except PasswordError as error:
        raise FileProblem(
            "This spreadsheet is protected by a password. Remove the password and upload it again."
        ) from error
    except XmlError as error:
        raise FileProblem(XML_REFUSED) from error
    except CalamineError as error:
        raise FileProblem(
            f"This spreadsheet cannot be read ({_shortened(error)}). Save it again as XLSX, ODS or CSV."
        ) from error
    except OSError as error:
        if error.errno != errno.EFBIG:  # a write over the disk limit (RLIMIT_FSIZE) fails with EFBIG
            raise
        raise _too_much_text(disk_bytes) from error
    return names


def _open_workbook(source: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(source))
    except (CalamineError, MemoryError):
        raise
    except Exception as error:  # python-calamine raises plain errors for files that are not spreadsheets at all
        raise FileProblem("This file is not a spreadsheet we can read. Upload a CSV, XLSX or ODS file.") from error


def _too_much_text(disk_bytes: int) -> FileProblem:
    return FileProblem(
        f"This spreadsheet holds more than {readable_size(disk_bytes)} of text once unpacked, more than we "
        "read from one file. Check this is the right file, or split the figures across several files."
    )


def _shortened(error: Exception, length: int = 200) -> str:
    """An error's text, which may quote the file, cut to a length an admin can read."""
    text = str(error)
    return text if len(text) <= length else text[:length] + "…"


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


if __name__ == "__main__":
    sys.exit(main())
