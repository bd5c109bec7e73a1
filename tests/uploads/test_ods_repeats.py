"""An ODS file declares no range, but its rows and cells may repeat: what a sheet asks for is
counted from content.xml before python-calamine unpacks it, and held to the limit an XLSX sheet's
declared range is held to. LibreOffice's own trailing repeats of empty rows and cells are normal.

LibreOffice is not installed where these tests were written, so the files LibreOffice saves are
built with odfpy, repeating empty rows and cells after the data exactly as LibreOffice does.
"""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from stats.importers import spreadsheet_to_csv
from stats.importers.files import FileProblem
from stats.importers.spreadsheet_to_csv import MAX_REPEATED_VALUE_CELLS, MAX_SHEET_CELLS, SAVE_AS_CSV, check_archive
from stats.models import Upload
from tests.uploads.test_hostile_spreadsheets import LAUGHS, edited_part, read_all, refusal, write
from tests.uploads.test_real_home_office_table import (
    ADJUSTMENTS,
    EXPECTED,
    _as_a_spreadsheet_types_it,
    _checked,
    _form,
    _totals,
)

FIGURES = Path(__file__).resolve().parents[2] / "stats" / "seed" / "figures.csv"
LIBREOFFICE_ROWS, LIBREOFFICE_COLUMNS = 1_048_576, 1024  # a sheet's size in LibreOffice before 7.4
# What LibreOffice writes after the last row of a sheet: the rest of its rows, empty.
LIBREOFFICE_TAIL = (
    b'<table:table-row table:number-rows-repeated="%d"><table:table-cell table:number-columns-repeated="1024"/>'
    b"</table:table-row></table:table>"
)
TOO_MANY = (
    "we read at most 10,000,000 cells a sheet. Delete any rows and columns after your data and save it again, "
    "or save the data as CSV and upload that: a CSV file has no such limit."
)


def cell(value: object = None, *, repeated: int = 1) -> TableCell:
    """A cell as LibreOffice writes it: typed if it holds a value, bare if empty."""
    options = {"numbercolumnsrepeated": repeated} if repeated > 1 else {}
    if value is None:
        return TableCell(**options)
    if isinstance(value, int | float):
        made = TableCell(valuetype="float", value=value, **options)
    else:
        made = TableCell(valuetype="string", **options)
    made.addElement(P(text=str(value)))
    return made


def row(*cells: TableCell, repeated: int = 1) -> TableRow:
    made = TableRow(numberrowsrepeated=repeated) if repeated > 1 else TableRow()
    for each in cells:
        made.addElement(each)
    return made


def ods(tables: dict[str, list[TableRow]], path: Path) -> Path:
    document = OpenDocumentSpreadsheet()
    for name, rows in tables.items():
        table = Table(name=name)
        for each in rows:
            table.addElement(each)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return write(path, buffer.getvalue())


def check_refusal(path: Path) -> str:
    with pytest.raises(FileProblem) as problem:
        check_archive(path)
    return str(problem.value)


# Repeats that ask for too much ------------------------------------------------------


def test_the_issues_few_kilobytes_repeating_a_row_of_40_cells_200000_times_are_refused_before_unpacking(tmp_path):
    # 8,000,000 cells, under the sheet limit: refused because a table of figures has no such repeats.
    path = ods({"Figures": [row(cell("area"), cell("value")), row(cell("grooming", repeated=40), repeated=200_000)]},
               tmp_path / "repeats.ods")  # fmt: skip
    assert path.stat().st_size < 10_000
    assert refusal(path) == (
        f"Sheet 'Figures' repeats rows of values to make {199_999 * 40:,} cells, over the "
        f"{MAX_REPEATED_VALUE_CELLS:,} we read: a table of figures rarely has two identical rows. {SAVE_AS_CSV}"
    )


@pytest.mark.parametrize(("repeats", "refused"), [(25_000, False), (25_001, True)], ids=["at the limit", "one over"])
def test_repeated_rows_of_values_are_held_to_a_million_cells(tmp_path, repeats, refused):
    path = ods({"Figures": [row(cell(1.5, repeated=40), repeated=repeats + 1)]}, tmp_path / "repeats.ods")
    assert repeats * 40 - MAX_REPEATED_VALUE_CELLS == (40 if refused else 0)
    if refused:
        assert check_refusal(path).startswith(f"Sheet 'Figures' repeats rows of values to make {repeats * 40:,} cells")
    else:
        check_archive(path)


@pytest.mark.parametrize(("gap", "refused"), [(249_998, False), (249_999, True)], ids=["at the limit", "one over"])
def test_a_sheet_is_held_to_the_same_number_of_cells_as_an_xlsx_sheet(tmp_path, gap, refused):
    def values():
        return row(*[cell(n) for n in range(40)])

    path = ods({"Figures": [values(), row(cell(repeated=40), repeated=gap), values()]}, tmp_path / "limit.ods")
    assert (gap + 2) * 40 - MAX_SHEET_CELLS == (40 if refused else 0)
    if refused:
        assert check_refusal(path).startswith("Sheet 'Figures' repeats its rows and cells to make 250,001 rows")
    else:
        check_archive(path)


def test_a_cell_repeated_across_every_column_counts_every_column(tmp_path):
    rows = [row(cell("x", repeated=16_384)), row(cell(repeated=16_384), repeated=700), row(cell("y"))]
    path = ods({"Figures": rows}, tmp_path / "wide.ods")
    assert check_refusal(path) == (
        f"Sheet 'Figures' repeats its rows and cells to make 702 rows of 16,384 columns or more, which is "
        f"{702 * 16_384:,} cells; {TOO_MANY}"
    )


def test_empty_rows_between_two_rows_of_values_are_counted_as_python_calamine_holds_them(tmp_path):
    rows = [row(cell("area")), row(cell(repeated=1024), repeated=1_000_000), row(*[cell(n) for n in range(20)])]
    path = ods({"Figures": rows}, tmp_path / "gap.ods")
    assert refusal(path) == (
        f"Sheet 'Figures' repeats its rows and cells to make 1,000,002 rows of 20 columns or more, which is "
        f"20,000,040 cells; {TOO_MANY}"
    )


def test_the_sheet_that_asks_for_too_much_is_named(tmp_path):
    tables = {
        "Introduction": [row(cell("Figures on the next sheet"))],
        "Figures": [row(cell("x", repeated=100), repeated=200_000)],
    }
    assert check_refusal(ods(tables, tmp_path / "two.ods")).startswith("Sheet 'Figures' repeats rows")


@pytest.mark.parametrize(
    "head",
    [LAUGHS, b'<?xml version="1.0"?><!DOCTYPE office:document-content SYSTEM "file:///etc/passwd">'],
    ids=["entity bomb", "external document type"],
)
def test_a_document_type_in_content_xml_is_refused_before_any_repeat_is_counted(tmp_path, head):
    def with_doctype(xml: bytes) -> bytes:
        return head + xml.split(b"?>", 1)[1]

    path = edited_part(_small_ods(tmp_path), "content.xml", with_doctype, tmp_path / "doctype.ods")
    assert refusal(path) == (
        "This spreadsheet's XML is malformed or uses features we refuse, such as entity definitions. "
        "Save it again from Excel or LibreOffice, or save the data as CSV, and upload that."
    )


def _small_ods(tmp_path: Path) -> bytes:
    return ods({"Figures": [row(cell("area"), cell("value")), row(cell("E23000014"), cell(150))]},
               tmp_path / "small.ods").read_bytes()  # fmt: skip


# What LibreOffice saves, which must read as before -----------------------------------


def _figures() -> list[list[str]]:
    with FIGURES.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _typed(value: str) -> object:
    """A CSV cell as LibreOffice reads it in: empty, a number, or text."""
    return None if value == "" else _as_a_spreadsheet_types_it(value)


@pytest.fixture(scope="module")
def tidy_figures_saved_by_libreoffice(tmp_path_factory) -> Path:
    """The seed's figures (a real UTF-8 CSV) as LibreOffice saves them as ODS: column styles
    repeated, numbers typed, each row's empty cells repeated to column AMJ (1,024), and the
    sheet's other million rows written as one empty row repeated."""
    figures = _figures()
    columns = len(figures[0])
    rows = [
        row(*[cell(_typed(value)) for value in values],
            cell(repeated=LIBREOFFICE_COLUMNS - columns))
        for values in figures
    ]  # fmt: skip
    rows.append(row(cell(repeated=LIBREOFFICE_COLUMNS), repeated=LIBREOFFICE_ROWS - len(figures)))
    document = OpenDocumentSpreadsheet()
    table = Table(name="figures")
    table.addElement(TableColumn(numbercolumnsrepeated=LIBREOFFICE_COLUMNS))
    for each in rows:
        table.addElement(each)
    document.spreadsheet.addElement(table)
    path = tmp_path_factory.mktemp("libreoffice") / "tidy_figures_saved_by_libreoffice.ods"
    document.save(str(path))
    return path


def test_libreoffice_trailing_empty_repeats_are_not_counted(tidy_figures_saved_by_libreoffice):
    xml = zipfile.ZipFile(tidy_figures_saved_by_libreoffice).read("content.xml")
    assert b'table:number-rows-repeated="1048439"' in xml and b'table:number-columns-repeated="1024"' in xml
    tables = spreadsheet_to_csv._OdsTables()
    spreadsheet_to_csv._parse(
        zipfile.ZipFile(tidy_figures_saved_by_libreoffice), "content.xml",
        start=tables.start, end=tables.end,
    )  # fmt: skip
    assert (tables.rows_asked, tables.end_column - tables.first_column) == (137, 17)


def test_the_figures_saved_by_libreoffice_read_as_the_csv_they_were_saved_from(tidy_figures_saved_by_libreoffice):
    sheets = read_all(tidy_figures_saved_by_libreoffice)
    expected = [[spreadsheet_to_csv._cell_text(_typed(value)) for value in values] for values in _figures()]
    assert sheets == {"figures": expected}
    assert any("\u2013" in value for values in expected for value in values)  # its en dashes survive


def test_the_real_home_office_table_saved_with_libreoffice_repeats_gives_exact_totals(seeded, tmp_path):
    """The table between two sheets, each ending as LibreOffice ends a sheet."""
    tail = LIBREOFFICE_TAIL % (LIBREOFFICE_ROWS - 23_069)
    path = edited_part(
        _form("resaved.ods"), "content.xml", lambda xml: xml.replace(b"</table:table>", tail), tmp_path / "t.ods"
    )
    upload, result = _checked(path.read_bytes(), "resaved-by-libreoffice.ods")
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    assert _totals(result) == EXPECTED
    assert upload.rows_read == 23_068 and upload.notes == [ADJUSTMENTS]
