"""Population estimates, one per row: geography_code, year (mid-2024 or 2024), age_band
(0-15, 0-17 or all ages), population, and an optional note. A newer ONS edition goes
through the same check, preview and publish steps as figures."""

from collections.abc import Iterable
from dataclasses import dataclass

from stats.importers.files import Sheet
from stats.importers.results import ImportResult, Layout, read_table
from stats.importers.rows import (
    POPULATION_SIZE,
    CellError,
    parse_age_band,
    parse_amount,
    parse_mid_year,
    parse_note,
    required,
)
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


POPULATION = Layout(
    columns=POPULATION_COLUMNS, optional=("note",), same_item="the same area, year and age band", items="estimates"
)


def read_population(sheets: Iterable[Sheet], geographies: dict[str, str]) -> ImportResult:
    return read_table(sheets, POPULATION, lambda row: parse_estimate(row, geographies))


def parse_estimate(row: dict[str, str], geographies: dict[str, str]) -> PopulationRow:
    code = required(row, "geography_code")
    if code not in geographies:
        raise CellError("geography_code", code, "is not a known area code" + did_you_mean(code, geographies))
    return PopulationRow(
        geography_code=code,
        year=parse_mid_year(required(row, "year")),
        age_band=parse_age_band(required(row, "age_band")),
        value=int(parse_amount("population", row.get("population", ""), POPULATION_SIZE)),
        note=parse_note(row),
    )
