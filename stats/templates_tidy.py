"""The blank tidy template, as CSV and XLSX, and the rules for each of its columns."""

import csv
import io

from openpyxl import Workbook

from stats.importers.tidy import FIGURE_COLUMNS, OPTIONAL_COLUMNS

COLUMN_RULES = {
    "geography_code": "The area's ONS code, e.g. E23000014 for West Midlands Police. See the list of areas below.",
    "period_label": "2024/25 for a financial year (1 April to 31 March), 2024 for a calendar year, "
    "or your own words for another span, e.g. Apr 2017 to Sep 2018.",
    "period_start": "The first day the figure covers, written YYYY-MM-DD.",
    "period_end": "The last day the figure covers, written YYYY-MM-DD. Not before period_start.",
    "offence": "One of the offence slugs below.",
    "measure": "One of the measure slugs below.",
    "platform": "Only for platform shares: the platform's name or slug, as listed below. Empty otherwise.",
    "value": "A number, 0 or more. Counts and ages are whole numbers; percentages are at most 100. "
    "No formulas, no % sign.",
    "unit": "count, percent or years: it must be the measure's unit.",
    "note": "Optional: the source's caveats, in its own words.",
    "qualifier": "Optional: the source's precision word before the number, if it used one: "
    "about, at least, more than, almost or fewer than. Write about for 'around 40%'.",
    "coverage": "Optional: which forces a count covers, if the source said, e.g. 44 UK forces (all but Lincolnshire).",
}


def blank_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIGURE_COLUMNS)
    return "\ufeff" + buffer.getvalue()


def blank_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(list(FIGURE_COLUMNS))
    notes = workbook.create_sheet("Columns")
    notes.append(["column", "required", "what to write"])
    for column in FIGURE_COLUMNS:
        notes.append([column, "no" if column in OPTIONAL_COLUMNS else "yes", COLUMN_RULES[column]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
