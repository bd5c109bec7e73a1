"""Build upload files in every format the admin accepts: CSV (any encoding), XLSX and ODS."""

import csv
import io
from pathlib import Path

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from stats.importers.home_office import COLUMNS as HOME_OFFICE_COLUMNS
from stats.importers.tidy import FIGURE_COLUMNS

FORCES_CSV = Path(__file__).resolve().parents[2] / "stats" / "seed" / "geographies.csv"


def home_office_force_names() -> list[str]:
    with FORCES_CSV.open(encoding="utf-8") as handle:
        return [row["home_office_force_name"] for row in csv.DictReader(handle) if row["home_office_force_name"]]


def home_office_rows(years=(2022, 2023), *, grooming=lambda force, year, quarter: 10 + quarter) -> list[list]:
    """Every force, every quarter: 88A and one other offence, plus rows for bodies that police no area."""
    rows = []
    for year in years:
        label = f"{year}/{(year + 1) % 100:02d}"
        for force in [*home_office_force_names(), "British Transport Police", "Action Fraud"]:
            for quarter in (1, 2, 3, 4):
                rows.append(
                    [
                        label,
                        quarter,
                        force,
                        "Sexual grooming",
                        "Sexual offences",
                        "Other sexual offences",
                        "88A",
                        grooming(force, year, quarter),
                    ]
                )
                rows.append([label, quarter, force, "Burglary", "Theft offences", "Burglary", "28E", 100])
    return rows


def as_csv(header: list[str], rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_ods(sheets: dict[str, list[list]]) -> bytes:
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def tidy_rows(*rows: dict) -> list[list]:
    return [[row.get(column, "") for column in FIGURE_COLUMNS] for row in rows]


TIDY_HEADER = list(FIGURE_COLUMNS)
HOME_OFFICE_HEADER = list(HOME_OFFICE_COLUMNS)


# One good row of the tidy template, for tests to vary.
TIDY_ROW = {
    "geography_code": "E23000014",
    "period_label": "2024/25",
    "period_start": "2024-04-01",
    "period_end": "2025-03-31",
    "offence": "sexual-communication-with-a-child",
    "measure": "offences-recorded",
    "value": "150",
    "unit": "count",
}
