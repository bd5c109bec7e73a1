"""Which of our formats a file is, judged from its header row alone.

An admin who leaves the format on its default and uploads a Home Office table should not
get a list of missing columns: its header says what it is. A header names a format when it
holds every column that format requires; rows are never read here.
"""

from collections.abc import Iterable

from stats.importers.files import Sheet
from stats.importers.home_office import COLUMNS as HOME_OFFICE_COLUMNS
from stats.importers.population import POPULATION
from stats.importers.rows import heading
from stats.importers.tidy import TIDY
from stats.models.uploads import Upload

REQUIRED_HEADINGS = {
    Upload.Format.TIDY: {c for c in TIDY.columns if c not in TIDY.optional},
    Upload.Format.HOME_OFFICE: {c.lower() for c in HOME_OFFICE_COLUMNS},
    Upload.Format.POPULATION: {c for c in POPULATION.columns if c not in POPULATION.optional},
}


def format_of_header(cells: list[str]) -> str:
    """The one format whose every required column the header names, or ''."""
    names = {heading(cell) for cell in cells}
    matches = [name for name, required in REQUIRED_HEADINGS.items() if required <= names]
    return matches[0] if len(matches) == 1 else ""


def format_of_sheets(sheets: Iterable[Sheet]) -> str:
    """The format of the first sheet whose header names one (a Home Office workbook may open with notes)."""
    for sheet in sheets:
        if found := format_of_header(next(sheet.rows, None) or []):
            return found
    return ""
