"""The Home Office "Police recorded crime open data tables" by police force area.

Every offence is in these files, one row per force, financial year and quarter.
We keep offence code 88A, "Sexual grooming", which has included sexual
communication with a child since April 2017. Quarters are summed into financial
years, force names are mapped to ONS codes, and complete sets of forces are added
up into regions, England, Wales and England and Wales. Rows for bodies that
police no area (Action Fraud, CIFAS, UK Finance, British Transport Police) are
counted and left out, never dropped silently.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from stats.importers.files import Sheet
from stats.importers.results import ImportResult, refuse_formula
from stats.importers.rows import CellError, RowError
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
OFFENCE_CODE = "88A"
NON_TERRITORIAL = frozenset({"Action Fraud", "CIFAS", "UK Finance", "British Transport Police"})
FINANCIAL_YEAR = re.compile(r"^([0-9]{4})\s*[/_-]\s*([0-9]{2}|[0-9]{4})$")
NOTE = "Sum of the four quarters of police recorded crime, Home Office offence code 88A (sexual grooming)."


ENGLAND_AND_WALES = "K04000001"


@dataclass(frozen=True)
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
    quarters: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    data_sheets = 0
    for sheet in sheets:
        header = next(sheet.rows, None)
        positions = _positions(header or [])
        if positions is None:
            result.skipped[f"Sheet '{sheet.name or 'CSV'}' has no Home Office column headings, so it was not read"] += 1
            continue
        data_sheets += 1
        _read_sheet(sheet, positions, force_names, quarters, result)
    if data_sheets == 0:
        result.file_error("No sheet has the Home Office column headings. Expected columns: " + ", ".join(COLUMNS) + ".")
        return result
    if result.ok:
        result.rows = _figures(quarters, areas, result)
    return result


def _positions(header: list[str]) -> dict[str, int] | None:
    found = {cell.strip().lower(): index for index, cell in enumerate(header)}
    if not {"offence code", "force name"} <= found.keys():
        return None
    return {column: found.get(column.lower(), -1) for column in COLUMNS}


def _read_sheet(sheet: Sheet, at: dict[str, int], force_names, quarters, result: ImportResult) -> None:
    missing = [column for column, index in at.items() if index < 0]
    if missing:
        where = f"Sheet '{sheet.name}'" if sheet.name else "The file"
        columns = f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        result.file_error(f"{where} is missing the {columns}. Expected columns: {', '.join(COLUMNS)}.")
        return
    code_at, force_at, width = at["Offence Code"], at["Force Name"], max(at.values()) + 1
    for line, cells in enumerate(sheet.rows, start=2):
        # The hot loop: a million rows of every offence, nearly all of them skipped here.
        if len(cells) < width:
            if any(cell.strip() for cell in cells):
                result.add_error(RowError(line, "(whole row)", "", "has fewer cells than the header", sheet=sheet.name))
            continue
        result.rows_read += 1
        force = cells[force_at].strip()
        if force in NON_TERRITORIAL:
            result.skipped[f"Rows for {force}, which polices no area"] += 1
            continue
        if cells[code_at].strip() != OFFENCE_CODE:
            continue
        try:
            key, quarter, number = _parse(cells, at, force, force_names)
        except CellError as error:
            result.add_error(RowError(line, error.column, error.value, error.expected, sheet=sheet.name))
            continue
        if quarter in quarters[key]:
            result.add_error(
                RowError(
                    line, "(whole row)", "", f"repeats {force}, {_label(key[1])} quarter {quarter}", sheet=sheet.name
                )
            )
            continue
        quarters[key][quarter] = number


def _parse(cells: list[str], at: dict[str, int], force: str, force_names: dict[str, str]):
    for column, index in at.items():
        refuse_formula(column, cells[index].strip())
    code = force_names.get(force)
    if code is None:
        hint = did_you_mean(force, dict.fromkeys(force_names, ""))
        raise CellError("Force Name", force, "is not a police force we know" + hint)
    year_text = cells[at["Financial Year"]].strip()
    match = FINANCIAL_YEAR.match(year_text)
    if not match or int(match.group(2)[-2:]) != (int(match.group(1)) + 1) % 100:
        raise CellError("Financial Year", year_text, "is not a financial year written like 2019/20")
    quarter_text = cells[at["Financial Quarter"]].strip().upper().removeprefix("Q")
    if quarter_text not in ("1", "2", "3", "4"):
        raise CellError("Financial Quarter", cells[at["Financial Quarter"]], "should be a quarter, 1 to 4")
    number_text = cells[at["Number of Offences"]].strip().replace(",", "")
    if not (number_text.isascii() and number_text.isdigit()):
        raise CellError("Number of Offences", number_text, "should be a whole number of offences, 0 or more")
    return (code, int(match.group(1))), int(quarter_text), int(number_text)


def _figures(quarters: dict, areas: list[Area], result: ImportResult) -> list[FigureRow]:
    """Whole financial years for each force, then the areas every one of whose forces has one."""
    totals: dict[tuple[str, int], int] = {}
    for (code, year), by_quarter in quarters.items():
        if len(by_quarter) == 4:
            totals[(code, year)] = sum(by_quarter.values())
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
                totals[(area.code, year)] = sum(totals[(force, year)] for force in forces)
            elif any((force, year) in totals for force in forces):
                result.skipped[f"{area.name} {_label(year)}: not every force in the file, so no total"] += 1
    return [
        FigureRow(
            geography_code=code,
            period=PeriodSpan(_label(year), dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "financial_year"),
            offence="sexual-grooming",
            measure="offences-recorded",
            platform="",
            value=Decimal(total),
            unit="count",
            note=NOTE,
        )
        for (code, year), total in sorted(totals.items())
    ]


def _forces_under(areas: list[Area]) -> dict[str, set[str]]:
    """For each area, the police force areas it contains (a force contains itself)."""
    children: dict[str, list[str]] = defaultdict(list)
    for area in areas:
        children[area.parent].append(area.code)
    is_force = {area.code: not children.get(area.code) for area in areas}

    def forces(code: str) -> set[str]:
        if is_force[code]:
            return {code}
        return set().union(*(forces(child) for child in children[code]))

    return {area.code: forces(area.code) for area in areas if area.code in is_force}


def _label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"
