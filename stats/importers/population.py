"""Population estimates, one per row: geography_code, year (mid-2024 or 2024), age_band
(0-15, 0-17 or all ages), population, and an optional note. A newer ONS edition goes
through the same check, preview and publish steps as figures."""

from collections.abc import Iterable
from dataclasses import dataclass

from stats.importers.files import Sheet
from stats.importers.results import ImportResult, refuse_formula
from stats.importers.rows import CellError, RowError, parse_age_band, parse_count, parse_mid_year, required
from stats.importers.tidy import did_you_mean

POPULATION_COLUMNS = ("geography_code", "year", "age_band", "population", "note")


@dataclass(frozen=True)
class PopulationRow:
    geography_code: str
    year: int
    age_band: str
    value: int
    note: str

    @property
    def series_key(self) -> tuple:
        return (self.geography_code, self.year, self.age_band)


def read_population(sheets: Iterable[Sheet], geographies: dict[str, str]) -> ImportResult:
    result = ImportResult()
    sheet = next(iter(sheets), None)
    header = next(sheet.rows, None) if sheet else None
    columns = [cell.strip().lower().lstrip("\ufeff") for cell in header or []]
    missing = [c for c in POPULATION_COLUMNS if c != "note" and c not in columns]
    if missing:
        result.file_error(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"Expected columns: {', '.join(POPULATION_COLUMNS)}."
        )
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
            estimate = _parse(row, geographies)
        except CellError as error:
            result.add_error(RowError(line, error.column, error.value, error.expected))
            continue
        if estimate.series_key in first_seen:
            result.add_error(
                RowError(
                    line,
                    "(whole row)",
                    "",
                    f"repeats row {first_seen[estimate.series_key]}: the same area, year and age band",
                )
            )
            continue
        first_seen[estimate.series_key] = line
        result.rows.append(estimate)
    if result.rows_read == 0 and result.ok:
        result.file_error("The file has a header row but no estimates.")
    return result


def _parse(row: dict[str, str], geographies: dict[str, str]) -> PopulationRow:
    code = required(row, "geography_code")
    if code not in geographies:
        raise CellError("geography_code", code, "is not a known area code" + did_you_mean(code, geographies))
    return PopulationRow(
        geography_code=code,
        year=parse_mid_year(required(row, "year")),
        age_band=parse_age_band(required(row, "age_band")),
        value=parse_count(row, "population"),
        note=row.get("note", ""),
    )
