"""The Home Office "Police recorded crime open data tables" by police force area.

Every offence is in these files, one row per force, financial year, quarter and
offence code. We keep offence code 88A, "Sexual grooming", which counts sexual
communication with a child (s.15A, from April 2017) together with meeting a child
following sexual grooming (s.15). Quarters are summed into financial years, force
names are mapped to ONS codes, and complete sets of forces are added up into
regions, England, Wales and England and Wales. Rows for bodies that police no area
(Action Fraud, CIFAS, UK Finance, Financial Fraud Action UK, British Transport
Police) are counted and left out, never dropped silently.

Every row of every offence is checked all the same, as strictly as the 88A rows:
a table with a misspelt force, a fifth quarter or a formula anywhere is not an
authentic Home Office table, and none of it is imported. What a real table holds
is accepted (the rules were read off the real 2017/18 table in
stats/seed/home_office/): offence codes such as 37.1, CIFAS, FFA UK and
1/4.1/4.10/4.2; counts written " 66776 " or -00; negative counts, the Home
Office's adjustments, counted in a note (a negative 88A quarter is a warning to
check, a negative 88A year is refused); and a combined code on several rows for
one force and quarter.
"""

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial
from operator import itemgetter

from stats import spans
from stats.importers.files import Sheet
from stats.importers.results import (
    REPEATED_HEADER,
    ImportResult,
    check_unheaded,
    header_repeated,
    repeated_headings,
)
from stats.importers.rows import (
    COUNT,
    FIRST_DAY,
    LARGEST_COUNT,
    LAST_DAY,
    CellError,
    RowError,
    check_cell,
    heading,
    parse_amount,
    shown,
)
from stats.importers.tidy import FigureRow, PeriodSpan, did_you_mean

COLUMNS = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
)
HEADINGS = {column.lower() for column in COLUMNS}
OFFENCE_CODE = "88A"
NON_TERRITORIAL = frozenset(
    {"Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK", "British Transport Police"}
)
FINANCIAL_YEAR = re.compile(r"([0-9]{4})\s*[/_-]\s*([0-9]{2}|[0-9]{4})")
# Financial years inside the dates any figure may cover: 1990/91 to 2099/00.
FIRST_YEAR, LAST_YEAR = FIRST_DAY.year, LAST_DAY.year - 1
# A count may be negative: the Home Office adjusts a quarter down when offences recorded
# earlier are reclassified or cancelled (2017/18 has 36 such rows, -1 to -45).
OFFENCES = dataclasses.replace(
    COUNT,
    whole_of="offences",
    too_small=f"is too far below zero; no adjustment to a count of offences exceeds {LARGEST_COUNT:,}"
    " (the UK has about 69 million people)",
)
NOT_A_COUNT = "should be a whole number of offences, like 12, 0 or -1"
# Offence codes as the Home Office writes them: letters and digits, joined by single dots,
# slashes or spaces: 88A, 37.1, 4.10, 802, CIFAS, FFA UK, 1/4.1/4.10/4.2 (14 characters, the
# longest in 2017/18). Only 88A is stored (Offence.home_office_code); the rest are checked.
OFFENCE_CODE_SHAPE = re.compile(r"[0-9A-Z]+(?:[./ ][0-9A-Z]+)*")  # of the code in capitals
LONGEST_OFFENCE_CODE = 20
NOT_A_CODE = (
    "is not a Home Office offence code (those are letters and digits, joined by single dots, slashes"
    f" or spaces, like 88A, 37.1 or FFA UK, at most {LONGEST_OFFENCE_CODE} characters)"
)
# "88 A", "88a." or "88-A" is a mistyped 88A rather than another offence: read as another
# code, the row would silently leave its force's grooming offences out of the year.
NOT_PART_OF_A_CODE = re.compile(r"[\s._-]")
# A combined code ("1/4.1/4.10/4.2", Homicide) joins several offences, and the 2017/18 table
# gives it one row for each, 4 rows for each force and quarter, sometimes with the same count.
# So such a code may repeat up to as many times as it has parts, and any other repeat is
# refused, above all a repeated 88A row. This is our reading of the file, a guess about how
# the Home Office builds it: no published guide says so.
COMBINING = "/"
# A Home Office table uses a few hundred offence codes (132 in 2017/18). A file with thousands
# is not one, and the cap keeps the memory of the check for repeated rows bounded: 3 KB a
# code, and 26 KB more for a combined code that repeats (53 MB at worst, for a made-up file
# whose every code is combined and repeats; 0.03 MB for a real one).
MOST_OFFENCE_CODES = 2_000
# How many distinct texts each column remembers a verdict on, so a file whose every
# count differs cannot fill memory; past it, a text is simply checked again. Refused
# texts are remembered only to spare the "did you mean" search a misspelling repeated
# on every row, so a few suffice.
REMEMBERED, REMEMBERED_REFUSED = 65_536, 1_000
NOTE = (
    "Sum of the four quarters of police recorded crime, Home Office offence code 88A (sexual grooming), which"
    " counts sexual communication with a child (s.15A) together with meeting a child following sexual grooming"
    " (s.15); not the NSPCC's series of s.15A offences."
)


ENGLAND_AND_WALES = "K04000001"


@dataclasses.dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    parent: str  # parent's code, "" at the top

    @property
    def is_total_of_forces(self) -> bool:
        """Regions, nations and England and Wales are exactly their forces; the UK is not
        (Scotland and Northern Ireland are outside these tables)."""
        return self.level in ("region", "nation") or self.code == ENGLAND_AND_WALES


def read_home_office(sheets: Iterable[Sheet], *, areas: list[Area], force_names: dict[str, str]) -> ImportResult:
    """force_names maps the Home Office name of each force to its ONS code."""
    result = ImportResult()
    table = _Table(force_names)
    data_sheets = 0
    for sheet in sheets:
        header = next(sheet.rows, None)
        names = [heading(cell) for cell in header or []]
        if not {"offence code", "force name"} <= set(names):
            # An introduction or notes sheet beside the data is named, with its rows, never dropped
            # silently. A CSV file without the headings is refused below.
            if sheet.name:
                rows = (header is not None) + sum(1 for _ in sheet.rows)
                left_out = f"Rows of sheet '{shown(sheet.name)}', which has no Home Office column headings"
                result.skipped[f"{left_out} (not a data sheet)"] += rows
            continue
        data_sheets += 1
        table.read(sheet, names, result)
    if data_sheets == 0:
        result.file_error("No sheet has the Home Office column headings. Expected columns: " + ", ".join(COLUMNS) + ".")
    elif result.ok and result.rows_read == 0:
        result.file_error("The file has the Home Office column headings but no rows, so there is nothing to import.")
    elif result.ok and not table.grooming:
        result.file_error(
            f"The file has no rows for offence code {OFFENCE_CODE} (sexual grooming), so there is nothing to import."
        )
    if table.adjustments:
        result.notes.append(_adjustments_note(table.adjustments))
    if not result.ok:
        return result
    for force, rows in sorted(table.left_out.items()):
        result.skipped[f"Rows for {table.force_names[force]}, which polices no area"] += rows
    quarters = {(table.force_codes[force], year): counts for (force, year), counts in table.grooming.items()}
    rows = _figures(quarters, areas, result)
    if result.ok and not rows:
        result.file_error(
            f"The file's rows for offence code {OFFENCE_CODE} give no police force all four quarters of a"
            " financial year, so there is nothing to import."
        )
    if result.ok:
        result.rows = rows
    return result


class _Column:
    """One column's check, remembered for each distinct text: years, quarters, force names
    and offence codes repeat on nearly every row of a million, so each is checked once."""

    def __init__(self, name: str, parse: Callable[[str], object] | None = None, *, required: bool = False) -> None:
        self.name, self.parse, self.required = name, parse, required  # parse None: checked, never used
        self.known: dict[str, object] = {}  # cell text -> value, for texts that passed
        self.refused: dict[str, tuple[str, str, str]] = {}  # cell text -> CellError's arguments
        self.key_part: Callable[[int], int] | None = None  # for the columns of a row's key
        self.parts: dict[str, int] = {}  # cell text -> key_part(value), for texts that passed

    def value(self, text: str) -> object:
        if text in self.known:
            return self.known[text]
        if text in self.refused:
            # A new error each time, never the remembered one raised again: every raise adds the
            # current frames to an exception's traceback, so one refusal raised for every row of a
            # million kept every row's frame alive (a worker grew past 1.6 GB).
            raise CellError(*self.refused[text])
        try:
            value = self._check(text.strip())
        except CellError as error:
            if len(self.refused) < REMEMBERED_REFUSED:
                self.refused[text] = (error.column, error.value, error.expected)
            raise
        if len(self.known) < REMEMBERED:
            self.known[text] = value
            if self.key_part:
                self.parts[text] = self.key_part(value)
        return value

    def _check(self, text: str) -> object:
        check_cell(self.name, text)
        if not text:
            if self.required:
                raise CellError(self.name, text, "is empty; this column needs a value")
            return None
        return self.parse(text) if self.parse else None


KEY_COLUMNS = ("financial year", "financial quarter", "force name", "offence code")  # what makes a row repeat another


class _Table:
    """The rows of every sheet, checked, and the 88A counts they hold.

    A row is known by one int, the digits of a mixed-radix number: its offence code's
    index, then its year, quarter and force, each below its own radix, so two rows share
    a key only if they share all four. The offence description is not part of the key:
    the code names the offence and the description only labels it, so two counts for one
    code, force and quarter would count the same offences twice whatever the labels say
    (but for a combined code, which has a row for each offence it joins: see COMBINING).

    Keys seen are bits of a bytearray, one bit per possible key of each offence code seen:
    exact, about 3 KB a code, and the same size for a million rows as for ten. A combined
    code that repeats also gets a byte per key (about 26 KB), counting its rows past the first.
    """

    def __init__(self, force_names: dict[str, str]) -> None:
        self.force_codes = sorted(set(force_names.values()))  # a police force area's index -> its ONS code
        index_of = {code: index for index, code in enumerate(self.force_codes)}
        self.force_index = {name: index_of[code] for name, code in force_names.items() if name not in NON_TERRITORIAL}
        for index, name in enumerate(sorted(NON_TERRITORIAL), start=len(self.force_codes)):
            self.force_index[name] = index  # past the police force areas: no area, no 88A total
        self.force_names = {index: name for name, index in self.force_index.items()}
        self.columns: dict[str | tuple, _Column] = {
            "financial year": _Column("Financial Year", _financial_year, required=True),
            "financial quarter": _Column("Financial Quarter", _quarter, required=True),
            "force name": _Column("Force Name", self._force, required=True),
            "offence code": _Column("Offence Code", self._offence, required=True),
            "number of offences": _Column("Number of Offences", _count, required=True),
            **{column.lower(): _Column(column) for column in COLUMNS[3:6]},
        }
        keys_per_quarter = len(self.force_names)
        keys_per_year = 5 * keys_per_quarter  # quarters 1 to 4 (0 is never used)
        keys_per_code = (LAST_YEAR - FIRST_YEAR + 1) * keys_per_year
        self.keys_per_code = -(-keys_per_code // 8) * 8  # rounded up, so each code's bits start a byte
        parts = (
            lambda year: (year - FIRST_YEAR) * keys_per_year,
            lambda quarter: quarter * keys_per_quarter,
            lambda force: force,
            lambda code: code * self.keys_per_code,
        )
        for name, part in zip(KEY_COLUMNS, parts, strict=True):
            self.columns[name].key_part = part
        self.offence_index: dict[str, int] = {}
        self.offences_in_code: list[int] = []  # by code's index: how many offences it joins, 1 but for a combined code
        self.seen = bytearray()
        self.repeats: dict[int, bytearray] = {}  # a combined code's index -> by key, its rows past the first
        self._offence(OFFENCE_CODE)  # index 0
        self.grooming: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # (force, year) -> quarter -> count
        self.left_out: Counter = Counter()  # rows by the index of a force that polices no area
        self.adjustments = 0  # rows with a negative count

    def _force(self, name: str) -> int:
        if name not in self.force_index:
            forces = {force: "" for force in self.force_index if force not in NON_TERRITORIAL}
            raise CellError("Force Name", name, "is not a police force we know" + did_you_mean(name, forces))
        return self.force_index[name]

    def _offence(self, text: str) -> int:
        code = text.upper()
        if code not in self.offence_index:
            if code != OFFENCE_CODE and NOT_PART_OF_A_CODE.sub("", code) == OFFENCE_CODE:
                raise CellError(
                    "Offence Code",
                    text,
                    f"is not a Home Office offence code \u2014 did you mean {OFFENCE_CODE}? Read as another offence,"
                    " the row would leave its force's sexual grooming offences out of the year",
                )
            if len(code) > LONGEST_OFFENCE_CODE or not OFFENCE_CODE_SHAPE.fullmatch(code):
                raise CellError("Offence Code", text, NOT_A_CODE)
            if len(self.offence_index) == MOST_OFFENCE_CODES:
                raise CellError(
                    "Offence Code",
                    text,
                    f"is offence code number {MOST_OFFENCE_CODES + 1:,} in this file;"
                    " a Home Office table has a few hundred",
                )
            self.offence_index[code] = len(self.offence_index)
            self.offences_in_code.append(code.count(COMBINING) + 1)
            self.seen.extend(bytes(self.keys_per_code // 8))
        return self.offence_index[code]

    def _may_repeat(self, key: int) -> bool:
        """Whether a row may repeat the key of an earlier one: only a combined code, and only
        until it has had one row for each offence it joins (see COMBINING)."""
        code, at = divmod(key, self.keys_per_code)
        offences = self.offences_in_code[code]
        if offences == 1:
            return False
        extra = self.repeats.setdefault(code, bytearray(self.keys_per_code))
        if extra[at] + 1 >= offences:
            return False
        extra[at] += 1
        return True

    def read(self, sheet: Sheet, names: list[str], result: ImportResult) -> None:
        where = f"Sheet '{shown(sheet.name)}'" if sheet.name else "The file"
        missing = [column for column in COLUMNS if column.lower() not in names]
        if missing:
            columns = f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            result.file_error(f"{where} is missing the {columns}. Expected columns: {', '.join(COLUMNS)}.")
            return
        if problem := repeated_headings(names):
            result.file_error(f"{where} {problem}")
            return
        unused = [shown(name) for name in names if name and name not in HEADINGS]
        result.warn_unused(unused, f"{where}: " if sheet.name else "")
        self._read_rows(sheet, names, result)

    def _column(self, at: int, name: str) -> _Column:
        """The check for a column: one we do not use is still checked, and one with no heading must stay empty."""
        key = name or ("no heading", at)
        if key not in self.columns:
            self.columns[key] = _Column(name) if name else _Column(str(at + 1), partial(check_unheaded, at + 1))
        return self.columns[key]

    def _read_rows(self, sheet: Sheet, names: list[str], result: ImportResult) -> None:
        checks = [self._column(at, name) for at, name in enumerate(names)]
        year_at, quarter_at, force_at, code_at = (names.index(name) for name in KEY_COLUMNS)
        count_at = names.index("number of offences")
        years, quarters, forces, codes = (self.columns[name].parts for name in KEY_COLUMNS)
        counts = self.columns["number of offences"].known
        grooming_cells = [(checks[at], at) for at in (year_at, quarter_at)]
        other_cells = itemgetter(
            *(at for at, name in enumerate(names) if name not in (*KEY_COLUMNS, "number of offences"))
        )
        texts_known: set[tuple] = set()  # a row's other cells, together, as they were on rows that passed
        seen, grooming, left_out = self.seen, self.grooming, self.left_out
        width, areas, other_offences = len(names), len(self.force_codes), self.keys_per_code
        line = blank = 1  # the header
        adjustments = 0

        # The hot loop: a million rows. A row whose every cell was seen before, on a row
        # that passed, is checked by dictionary lookups alone; any other goes the careful way.
        for line, cells in enumerate(sheet.rows, start=2):
            try:
                if len(cells) != width or other_cells(cells) not in texts_known:
                    raise KeyError  # not every cell seen before: the careful way below
                force = forces[cells[force_at]]
                key = codes[cells[code_at]] + years[cells[year_at]] + quarters[cells[quarter_at]] + force
                count = counts[cells[count_at]]
            except KeyError:
                try:
                    values = _check_row(cells, names, checks)
                except CellError as error:
                    result.add_error(RowError(line, error.column, error.value, error.expected, sheet=sheet.name))
                    continue
                if values is None:
                    blank += 1
                    continue
                force, count = values[force_at], values[count_at]
                if len(texts_known) < REMEMBERED:
                    texts_known.add(other_cells(cells))
                key = sum(check.key_part(value) for check, value in zip(checks, values, strict=True) if check.key_part)
            byte_at, bit = key >> 3, 1 << (key & 7)
            byte = seen[byte_at]
            if not byte & bit:
                seen[byte_at] = byte | bit
            elif not self._may_repeat(key):
                message = _repeat(cells, names, self.offences_in_code[key // other_offences])
                result.add_error(RowError(line, "(whole row)", "", message, sheet=sheet.name))
                continue
            if count < 0:
                adjustments += 1
            if force >= areas:
                left_out[force] += 1
            elif key < other_offences:  # offence code 88A, whose index is 0
                year, quarter = (check.value(cells[at]) for check, at in grooming_cells)
                grooming[(force, year)][quarter] = count
        result.rows_read += line - blank
        self.adjustments += adjustments


def _check_row(cells: list[str], names: list[str], checks: list[_Column]) -> list | None:
    """Every cell of a row checked in turn, and their values; None for a blank row. Raises the first problem."""
    if not "".join(cells).strip():
        return None
    try:
        if len(cells) < len(names):
            raise CellError("(whole row)", "", "has fewer cells than the header")
        for number, cell in enumerate(cells[len(names) :], start=len(names) + 1):
            check_unheaded(number, cell.strip())
        return [check.value(cell) for check, cell in zip(checks, cells, strict=False)]
    except CellError:
        if header_repeated(cells, names):
            raise CellError("(whole row)", "", REPEATED_HEADER) from None
        raise


def _repeat(cells: list[str], names: list[str], offences: int) -> str:
    year, quarter, force, code = (cells[names.index(name)].strip() for name in KEY_COLUMNS)
    row = f"repeats {force}, {year} quarter {quarter}, offence code {code}"
    if offences == 1:
        return f"{row}: an earlier row gives the same"
    return (
        f"{row} once too often: a combined code has one row for each offence it joins, so at most"
        f" {offences} rows for a force and quarter here"
    )


def _financial_year(text: str) -> int:
    match = FINANCIAL_YEAR.fullmatch(text)
    if not match or int(match.group(2)[-2:]) != (int(match.group(1)) + 1) % 100:
        raise CellError("Financial Year", text, "is not a financial year written like 2019/20")
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            "Financial Year", text, f"should be a financial year from {_label(FIRST_YEAR)} to {_label(LAST_YEAR)}"
        )
    return year


def _quarter(text: str) -> int:
    quarter = text.upper().removeprefix("Q")
    if quarter not in ("1", "2", "3", "4"):
        raise CellError("Financial Quarter", text, "should be a quarter, 1 to 4")
    return int(quarter)


def _count(text: str) -> int:
    return int(parse_amount("Number of Offences", text, OFFENCES, not_a_number=NOT_A_COUNT))


def _figures(quarters: dict, areas: list[Area], result: ImportResult) -> list[FigureRow]:
    """Whole financial years for each force, then the areas every one of whose forces has one."""
    names = {area.code: area.name for area in areas}
    totals: dict[tuple[str, int], int] = {}
    for (code, year), by_quarter in sorted(quarters.items()):
        if len(by_quarter) == 4:
            what = f"{names.get(code, code)} {_label(year)}"
            total = sum(by_quarter.values())
            for quarter, count in sorted(by_quarter.items()):
                if count < 0:
                    result.warnings.append(
                        f"{what} quarter {quarter}: the 88A count is {count:,}, a Home Office adjustment (offences"
                        f" recorded earlier reclassified or cancelled). The year's total, {total:,}, includes it:"
                        " check it against the published table."
                    )
            _add_bounded(totals, (code, year), total, what, result)
        else:
            result.skipped[f"Forces with only some quarters of a year ({_label(year)}): not a full year"] += 1
    forces_under = _forces_under(areas)
    years = sorted({year for _, year in totals})
    for area in areas:
        forces = forces_under.get(area.code)
        if not area.is_total_of_forces or not forces:
            continue
        for year in years:
            if all((force, year) in totals for force in forces):
                total = sum(totals[(force, year)] for force in forces)
                _add_bounded(totals, (area.code, year), total, f"{area.name} {_label(year)}", result)
            elif any((force, year) in totals for force in forces):
                result.skipped[f"{area.name} {_label(year)}: not every force in the file, so no total"] += 1
    return [
        FigureRow(
            geography_code=code,
            period=PeriodSpan(*spans.financial_year(year), spans.FINANCIAL_YEAR),
            offence="sexual-grooming",
            measure="offences-recorded",
            platform="",
            value=Decimal(total),
            unit="count",
            note=NOTE,
        )
        for (code, year), total in sorted(totals.items())
    ]


def _add_bounded(totals: dict, key: tuple[str, int], total: int, what: str, result: ImportResult) -> None:
    """A summed total is a count like any other, held to the same bounds. One outside them is
    refused and left out of the totals above it, so one bad force is one message. A quarter
    may be below zero (an adjustment); a year's count of offences never is."""
    if total < 0:
        result.file_error(
            f"{what}: the 88A counts add up to {total:,}, and a year's count of offences is never below zero;"
            " check the Number of Offences column."
        )
    elif total > LARGEST_COUNT:
        result.file_error(
            f"{what}: the 88A counts add up to {total:,}, and no count of offences exceeds {LARGEST_COUNT:,}"
            " (the UK has about 69 million people); check the Number of Offences column."
        )
    else:
        totals[key] = total


def _adjustments_note(rows: int) -> str:
    gives = "row gives" if rows == 1 else "rows give"
    return (
        f"{rows:,} {gives} a negative count: the Home Office's adjustments when offences recorded earlier are"
        " reclassified or cancelled. This is normal in these tables."
    )


def _forces_under(areas: list[Area]) -> dict[str, set[str]]:
    """For each area, the police force areas it contains (a force contains itself; Scotland, none)."""
    children: dict[str, list[str]] = defaultdict(list)
    for area in areas:
        children[area.parent].append(area.code)
    is_force = {area.code: area.level == "police_force_area" for area in areas}

    def forces(code: str) -> set[str]:
        if is_force[code]:
            return {code}
        return set().union(*(forces(child) for child in children[code]))

    return {area.code: forces(area.code) for area in areas if area.code in is_force}


def _label(year: int) -> str:
    return spans.year_label(spans.FINANCIAL_YEAR, year)
