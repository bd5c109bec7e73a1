"""What an importer hands on: validated rows, every error found, and what it left out."""

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stats.importers.rows import CellError, RowError

if TYPE_CHECKING:
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
