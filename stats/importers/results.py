"""What an importer hands on: validated rows, every error found, and what it left out."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stats.importers.rows import CellError, RowError

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

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def file_error(self, message: str) -> None:
        self.add_error(RowError(0, "(file)", "", message))

    @property
    def ok(self) -> bool:
        return self.error_count == 0


FORMULA_STARTS = ("=", "+", "@")


def refuse_formula(column: str, value: str) -> None:
    """A cell that starts like a spreadsheet formula is refused, never stored or evaluated."""
    if value.startswith(FORMULA_STARTS) and not value[1:].replace(".", "", 1).isdigit():
        raise CellError(column, value, "looks like a spreadsheet formula; type the value itself")


@dataclass(frozen=True)
class Layout:
    """What a one-row-per-item file must look like, and what its rows are called in messages."""

    columns: tuple[str, ...]
    optional: tuple[str, ...]
    same_item: str  # "the same area, year and age band"
    items: str  # "figures"


def read_table(sheets: Iterable["Sheet"], layout: Layout, parse: Callable[[dict[str, str]], object]) -> ImportResult:
    """Check every row of the first sheet with `parse`; later sheets (notes, say) are counted and left out.

    Shared by every one-row-per-item format: header checks, blank rows, formula cells,
    repeated items and the error list work the same way whatever the rows hold.
    """
    result = ImportResult()
    sheets = iter(sheets)
    sheet = next(sheets, None)
    for other in sheets:
        result.skipped[f"Sheet '{other.name}': only the first sheet is read"] += 1
    header = next(sheet.rows, None) if sheet else None
    expected = ", ".join(layout.columns)
    if not header or not any(cell.strip() for cell in header):
        result.file_error(f"The file has no header row. The first row must name the columns: {expected}.")
        return result
    columns = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    missing = [c for c in layout.columns if c not in columns and c not in layout.optional]
    if missing:
        unknown = [c for c in columns if c and c not in layout.columns]
        found = (
            f" Found column{'s' if len(unknown) > 1 else ''} we do not use: {', '.join(unknown)}." if unknown else ""
        )
        plural = "s" if len(missing) > 1 else ""
        result.file_error(f"Missing column{plural}: {', '.join(missing)}.{found} Expected columns: {expected}.")
        return result
    first_seen: dict[tuple, int] = {}
    for line, cells in enumerate(sheet.rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        result.rows_read += 1
        row = {column: cell.strip() for column, cell in zip(columns, cells, strict=False) if column}
        try:
            for column, value in row.items():
                refuse_formula(column, value)
            item = parse(row)
        except CellError as error:
            result.add_error(RowError(line, error.column, error.value, error.expected))
            continue
        if item.series_key in first_seen:
            repeat = f"repeats row {first_seen[item.series_key]}: {layout.same_item}"
            result.add_error(RowError(line, "(whole row)", "", repeat))
            continue
        first_seen[item.series_key] = line
        result.rows.append(item)
    if result.rows_read == 0 and result.ok:
        result.file_error(f"The file has a header row but no {layout.items}.")
    return result
