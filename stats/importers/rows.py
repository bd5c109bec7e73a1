"""Reading rows and their cells, with errors an administrator can act on.

Every importer turns cells into values with these helpers, so every file format
reports a bad cell the same way: the line, the column, the value and what was
expected.
"""

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path


class CellError(ValueError):
    """One cell could not be understood."""

    def __init__(self, column: str, value: str, expected: str) -> None:
        super().__init__(f"column {column}: '{value}' {expected}")
        self.column, self.value, self.expected = column, value, expected


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    expected: str
    file: str = ""  # seed files: named with the line
    sheet: str = ""  # spreadsheets with several sheets: named with the row

    def __str__(self) -> str:
        if self.line == 0:
            return self.expected  # a problem with the whole file
        if self.file:
            where = f"{self.file}, line {self.line}"
        elif self.sheet:
            where = f"Sheet '{self.sheet}', row {self.line}"
        else:
            where = f"Row {self.line}"
        if self.column == "(whole row)":
            return f"{where}: {self.expected}"
        return f"{where}, column {self.column}: '{self.value}' {self.expected}"


def read_csv_file(path: Path) -> Iterator[tuple[int, dict[str | None, str]]]:
    """Yield (line number, raw row) pairs; the header is line 1."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def clean_row(row: dict) -> dict[str, str]:
    """Strip every cell; a row with more cells than the header is an error, not a guess."""
    if None in row:
        raise CellError("(past the last column)", ",".join(row[None]), "is an extra cell with no heading")
    return {key: (value or "").strip() for key, value in row.items()}


def required(row: dict[str, str], column: str) -> str:
    value = row.get(column, "")
    if not value:
        raise CellError(column, value, "is empty; this column needs a value")
    return value


def parse_date(row: dict[str, str], column: str) -> dt.date:
    text = required(row, column)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(column, text, "is not a date written YYYY-MM-DD") from None


def parse_number(row: dict[str, str], column: str) -> Decimal:
    text = required(row, column).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(column, text, "is not a number") from None
    if not number.is_finite():
        raise CellError(column, text, "is not a number")
    return number


def parse_yes_no(row: dict[str, str], column: str) -> bool:
    text = required(row, column).lower()
    if text not in ("yes", "no"):
        raise CellError(column, text, "should be yes or no")
    return text == "yes"


AGE_BANDS = ("0-15", "0-17", "all ages")
MAX_COUNT = 2_000_000_000  # fits the database's integer columns, and far above any population


def parse_mid_year(text: str) -> int:
    """'mid-2024' or '2024': the year of a mid-year (30 June) population estimate."""
    year = text.strip().lower().removeprefix("mid-")
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise CellError("year", text, "should be a mid-year estimate written mid-2024 or 2024")
    return int(year)


def parse_age_band(text: str) -> str:
    band = text.strip().lower().replace(" to ", "-")
    if band not in AGE_BANDS:
        raise CellError("age_band", text, f"should be one of {', '.join(AGE_BANDS)}")
    return band


def parse_count(row: dict[str, str], column: str) -> int:
    number = parse_number(row, column)
    if number < 0 or number != number.to_integral_value() or number > MAX_COUNT:
        raise CellError(column, row[column], f"should be a whole number from 0 to {MAX_COUNT:,}")
    return int(number)
