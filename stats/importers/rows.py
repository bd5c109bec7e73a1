"""Reading rows and their cells, with errors an administrator can act on.

Every importer turns cells into values with these helpers, so every file format
reports a bad cell the same way: the line, the column, the value and what was
expected. The bounds every value must keep before it may reach the database are
here too, each with the reason it is where it is.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from stats.formulas import looks_like_formula

LONGEST_SHOWN = 80  # a cell quoted in a message is cut to this many characters


def shown(text: str) -> str:
    """A cell as a message may quote it: control characters made visible, a long cell cut short.

    Messages are stored with the upload (PostgreSQL refuses a NUL) and read by people,
    so a NUL shows as \\x00 and a pasted essay as its beginning.
    """
    text = UNSEEN.sub(lambda match: ascii(match.group())[1:-1], text)  # NUL as \\x00, a zero-width space as \\u200b
    return text if len(text) <= LONGEST_SHOWN else text[: LONGEST_SHOWN - 1] + "\u2026"


class CellError(ValueError):
    """One cell could not be understood."""

    def __init__(self, column: str, value: str, expected: str) -> None:
        super().__init__(f"column {column}: '{shown(value)}' {expected}")
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
            where = f"Sheet '{shown(self.sheet)}', row {self.line}"
        else:
            where = f"Row {self.line}"
        if self.column == "(whole row)":
            return f"{where}: {self.expected}"
        return f"{where}, column {self.column}: '{shown(self.value)}' {self.expected}"


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


# Cells and headings ------------------------------------------------------------------

# Invisible characters a spreadsheet or editor may leave in a heading: byte-order marks
# (one per file joined into another) and zero-width spaces.
INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
# C0 controls (NUL among them: PostgreSQL cannot store it), DEL and C1 controls, and the
# controls that override the direction of the text around them (which can make a note
# read differently on the page from what was typed). None belongs in a figure file, and
# all are invisible in a preview. In a note, a tab or a line break is ordinary text.
CONTROLS_BUT_TAB_AND_BREAKS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_IN_NOTE = re.compile(f"[{CONTROLS_BUT_TAB_AND_BREAKS}]")
CONTROL_CHARACTER = re.compile(f"[{CONTROLS_BUT_TAB_AND_BREAKS}\t\n\r]")
UNSEEN = re.compile(f"{CONTROL_CHARACTER.pattern}|{INVISIBLE.pattern}")  # shown escaped in messages


def heading(cell: str) -> str:
    """A header cell as we compare it: 'Force\u00a0 Name ' and '\ufeffforce name' are both 'force name'."""
    return " ".join(INVISIBLE.sub("", cell).split()).lower()


def check_cell(column: str, value: str, *, multiline: bool = False) -> None:
    """Every cell of every file passes this before it is read: no formula, no control character.

    A formula is refused, never stored or evaluated. A sign and digits ('+5') are left to
    the number check, which says what is wrong with them. `multiline` allows the tabs and
    line breaks a note may hold.
    """
    control = (CONTROL_IN_NOTE if multiline else CONTROL_CHARACTER).search(value)
    if control:
        code = f"U+{ord(control.group()):04X}"
        raise CellError(column, value, f"contains an invisible control character ({code}); delete it")
    if looks_like_formula(value):
        raise CellError(column, value, "looks like a spreadsheet formula; type the value itself")


def check_length(column: str, value: str, longest: int) -> str:
    if len(value) > longest:
        raise CellError(column, value, f"is {len(value):,} characters long; the most accepted is {longest:,}")
    return value


def required(row: dict[str, str], column: str) -> str:
    value = row.get(column, "")
    if not value:
        raise CellError(column, value, "is empty; this column needs a value")
    return value


def parse_note(row: dict[str, str]) -> str:
    return check_length("note", row.get("note", ""), LONGEST_NOTE)


def parse_yes_no(row: dict[str, str], column: str) -> bool:
    text = required(row, column).lower()
    if text not in ("yes", "no"):
        raise CellError(column, text, "should be yes or no")
    return text == "yes"


# Dates and years ---------------------------------------------------------------------

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only; never a week date or 20240401


def parse_date(row: dict[str, str], column: str) -> dt.date:
    text = required(row, column)
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(column, text, "is not a date written YYYY-MM-DD") from None


def parse_period_date(row: dict[str, str], column: str) -> dt.date:
    day = parse_date(row, column)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CellError(column, row[column], f"should be a date from {FIRST_DAY} to {LAST_DAY}")
    return day


def parse_mid_year(text: str) -> int:
    """'mid-2024' or '2024': the year of a mid-year (30 June) population estimate."""
    year = text.strip().lower().removeprefix("mid-")
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise CellError("year", text, "should be a mid-year estimate written mid-2024 or 2024")
    if not FIRST_POPULATION_YEAR <= int(year) <= LAST_POPULATION_YEAR:
        raise CellError("year", text, f"should be a year from {FIRST_POPULATION_YEAR} to {LAST_POPULATION_YEAR}")
    return int(year)


AGE_BANDS = ("0-15", "0-17", "all ages")


def parse_age_band(text: str) -> str:
    band = text.strip().lower().replace(" to ", "-")
    if band not in AGE_BANDS:
        raise CellError("age_band", text, f"should be one of {', '.join(AGE_BANDS)}")
    return band


# Numbers -----------------------------------------------------------------------------

# Plain decimal notation and nothing else: ASCII digits, thousands commas only in groups
# of three ("1,50" may be a European 1.5, so it is refused, never read as 150), an
# optional fractional part. No exponent (1E+400 would overflow), no NaN or Infinity, no
# other scripts' digits. The minus sign is read so that a negative gets its own message
# (or, for a Home Office adjustment, is allowed).
PLAIN_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


@dataclass(frozen=True)
class Bound:
    """The values one kind of number may take before it reaches the database."""

    kind: str  # "a count", for messages
    largest: int
    too_large: str  # the message for a larger value
    whole_of: str = ""  # "count": only whole numbers, named so in messages; "" allows 2 decimal places
    # The message for a value below -largest, for the one kind of number that may be negative
    # (a Home Office adjustment to a count). "" for every other kind: a negative is refused.
    too_small: str = ""


def parse_amount(column: str, text: str, bound: Bound, *, not_a_number: str = "is not a number") -> Decimal:
    """A number in plain notation within its bound; `not_a_number` is what a file format expects instead."""
    if not text:
        raise CellError(column, text, "is empty; this column needs a value")
    if not PLAIN_NUMBER.fullmatch(text):
        raise CellError(column, text, not_a_number)
    number = Decimal(text.replace(",", ""))
    if number < 0 and not bound.too_small:
        raise CellError(column, text, f"is negative; {bound.kind} is never below zero")
    if number == 0:
        number = abs(number)  # "-0" and "-00" are 0
    if number > bound.largest:
        raise CellError(column, text, bound.too_large)
    if number < -bound.largest:
        raise CellError(column, text, bound.too_small)
    if bound.whole_of and number != number.to_integral_value():
        raise CellError(column, text, f"should be a whole number of {bound.whole_of}")
    if number != number.quantize(Decimal("0.01")):
        raise CellError(column, text, "has more than 2 decimal places")
    return number


# The bounds. Each keeps a value far inside what the database holds (Figure.value: 12
# digits, 2 after the point; Population.value: a 4-byte integer), and each is set where a
# larger value can only be a typing or unit error, so that error is caught here, with the
# row and column, rather than published or crashing the publish.

# About 69 million people lived in the UK at mid-2024 (ONS). No count of offences, charges
# or people, and no population of any area of it, can reach 100 million; the same bound on
# summed Home Office totals keeps every sum inside Figure.value too.
LARGEST_COUNT = 100_000_000
COUNT = Bound(
    "a count",
    LARGEST_COUNT,
    f"is too large; no count of offences, charges or people exceeds {LARGEST_COUNT:,}"
    " (the UK has about 69 million people)",
    whole_of="count",
)
POPULATION_SIZE = Bound(
    "a population",
    LARGEST_COUNT,
    f"is too large; no population here exceeds {LARGEST_COUNT:,} (the UK has about 69 million people)",
    whole_of="people",
)
PERCENT = Bound("a percentage", 100, "is over 100 but the unit is percent")  # the database checks this too
# The oldest person ever recorded lived to 122; an age over 120 is a typing error.
AGE = Bound("an age", 120, "is too large; an age in years is at most 120", whole_of="years")
BOUND_OF_UNIT = {"count": COUNT, "percent": PERCENT, "years": AGE}  # every Measure.Unit

# The dates a figure's period may cover. The offences this dashboard follows date from
# the Sexual Offences Act 2003 (sexual communication with a child from 2017), and police
# recorded crime in its present form from 2002/03; 1990 leaves room for older series to
# set beside them. A date before 1990 or after 2100 is a typing error (0224, 2204).
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
# ONS mid-year estimates begin in 1971; the database's population_year_is_plausible
# constraint allows exactly these years, and publishing would crash on any other.
FIRST_POPULATION_YEAR, LAST_POPULATION_YEAR = 1971, 2100
# A note is a sentence or a paragraph shown beside a figure; 2,000 characters is
# several paragraphs, and anything longer is a pasted document, not a note.
LONGEST_NOTE = 2000
