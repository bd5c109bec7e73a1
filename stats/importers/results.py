"""What an importer hands on: validated rows, every error found, and what it left out."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import TYPE_CHECKING

from stats.importers.rows import CellError, RowError, check_cell, heading, shown

if TYPE_CHECKING:
    from stats.importers.files import Sheet
    from stats.importers.tidy import FigureRow

MAX_ERRORS_KEPT = 200  # a file with thousands of bad rows shows the first 200 and a count


@dataclass
class ImportResult:
    rows: "list[FigureRow]" = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> how many rows or figures
    rows_read: int = 0
    warnings: list[str] = field(default_factory=list)  # worth a look before publishing, but no reason to refuse
    notes: list[str] = field(default_factory=list)  # about the file, for information: nothing to confirm

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def file_error(self, message: str) -> None:
        self.add_error(RowError(0, "(file)", "", message))

    def warn_unused(self, columns: list[str], where: str = "") -> None:
        if columns:
            self.warnings.append(f"{where}Column(s) {', '.join(columns)} are not used and will be left out.")

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def repeated_headings(names: list[str]) -> str:
    """What is wrong with a header that names a column twice (which is meant cannot be guessed), or ''."""
    twice = sorted(name for name, times in Counter(names).items() if name and times > 1)
    if not twice:
        return ""
    return f"names the column{'s' if len(twice) > 1 else ''} {', '.join(map(shown, twice))} twice; keep one of each."


def header_repeated(cells: list[str], names: list[str]) -> bool:
    """A header row again, mid-file: two files pasted one under the other."""
    return all(heading(cell) == name for cell, name in zip_longest(cells, names, fillvalue=""))


REPEATED_HEADER = "repeats the header row; remove it (were two files joined together?)"


def check_unheaded(number: int, value: str) -> None:
    """A cell under no heading, or past the last, is refused, not dropped: its column cannot be guessed."""
    if value:
        raise CellError(str(number), value, "has no heading above it; name the column or delete the cell")


@dataclass(frozen=True)
class Layout:
    """What a one-row-per-item file must look like, and what its rows are called in messages."""

    columns: tuple[str, ...]
    optional: tuple[str, ...]
    same_item: str  # "the same area, year and age band"
    items: str  # "figures"
    multiline: tuple[str, ...] = ("note",)  # columns where tabs and line breaks are ordinary text


def read_table(sheets: Iterable["Sheet"], layout: Layout, parse: Callable[[dict[str, str]], object]) -> ImportResult:
    """Check every row of the first sheet with `parse`; later sheets (notes, say) are counted and left out.

    Shared by every one-row-per-item format: header checks, blank rows, the check of every
    cell (no formula, no control character, none under no heading), repeated items, the
    error list and the warnings work the same way whatever the rows hold.
    """
    result = ImportResult()
    sheets = iter(sheets)
    sheet = next(sheets, None)
    for other in sheets:
        result.skipped[f"Sheet '{shown(other.name)}': only the first sheet is read"] += 1
    header = next(sheet.rows, None) if sheet else None
    expected = ", ".join(layout.columns)
    if not header or not any(cell.strip() for cell in header):
        result.file_error(f"The file has no header row. The first row must name the columns: {expected}.")
        return result
    columns = [heading(cell) for cell in header]
    unknown = [shown(c) for c in columns if c and c not in layout.columns]
    missing = [c for c in layout.columns if c not in columns and c not in layout.optional]
    if missing:
        found = (
            f" Found column{'s' if len(unknown) > 1 else ''} we do not use: {', '.join(unknown)}." if unknown else ""
        )
        plural = "s" if len(missing) > 1 else ""
        result.file_error(f"Missing column{plural}: {', '.join(missing)}.{found} Expected columns: {expected}.")
        return result
    if problem := repeated_headings(columns):
        result.file_error(f"The file {problem}")
        return result
    result.warn_unused(unknown)
    first_seen: dict[tuple, int] = {}
    for line, cells in enumerate(sheet.rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        result.rows_read += 1
        try:
            item = parse(_cells_by_column(cells, columns, layout))
        except CellError as error:
            problem = CellError("(whole row)", "", REPEATED_HEADER) if header_repeated(cells, columns) else error
            result.add_error(RowError(line, problem.column, problem.value, problem.expected))
            continue
        if item.series_key in first_seen:
            repeat = f"repeats row {first_seen[item.series_key]}: {layout.same_item}"
            result.add_error(RowError(line, "(whole row)", "", repeat))
            continue
        first_seen[item.series_key] = line
        result.rows.append(item)
    if result.rows_read == 0 and result.ok:
        result.file_error(f"The file has a header row but no {layout.items}.")
    if not result.ok:
        result.rows = []  # all or nothing: a file with one bad row hands on none
    return result


def _cells_by_column(cells: list[str], columns: list[str], layout: Layout) -> dict[str, str]:
    """The row's stripped cells by heading, each one checked; a cell under no heading is refused, not dropped."""
    row = {}
    for number, cell in enumerate(cells, start=1):
        value = cell.strip()
        column = columns[number - 1] if number <= len(columns) else ""
        if not column:
            check_unheaded(number, value)
            continue
        check_cell(column, value, multiline=column in layout.multiline)
        row[column] = value
    return row
