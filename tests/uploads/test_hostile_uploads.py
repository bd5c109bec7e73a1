"""Every hostile file the issue names, through the whole upload flow on PostgreSQL, in each
container it can come in: refused with its own message, no data table changed, the process alive."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from stats.models import Upload
from tests.uploads.conftest import table_counts, upload_bytes
from tests.uploads.files import (
    HOME_OFFICE_HEADER,
    TIDY_HEADER,
    TIDY_ROW,
    as_csv,
    as_ods,
    as_xlsx,
    home_office_rows,
    tidy_rows,
)
from tests.uploads.test_hostile_spreadsheets import repeated

CONTAINERS = {
    "csv": lambda header, rows: as_csv(header, rows),
    "xlsx": lambda header, rows: as_xlsx({"Data": [header, *rows]}),
    "ods": lambda header, rows: as_ods({"Data": [header, *rows]}),
}


def _other_offence_row(change) -> list[list]:
    """A Home Office table whose one bad row is not an 88A row: it is still checked."""
    rows = home_office_rows((2022,))
    burglary = next(row for row in rows if row[6] == "28E")
    change(burglary)
    return rows


def _set(column: int, value):
    return lambda row: row.__setitem__(column, value)


HOME_OFFICE_CASES = [
    ("misspelt force", _other_offence_row(_set(2, "West Midland")), "'West Midland' is not a police force we know"),
    ("quarter of 5", _other_offence_row(_set(1, 5)), "Financial Quarter"),
    ("year 2022/2x", _other_offence_row(_set(0, "2022/2x")), "'2022/2x' is not a financial year"),
    (
        "88A year below zero",
        home_office_rows((2022,), grooming=lambda f, y, q: -1 if f == "Kent" else 10),
        "Kent Police 2022/23: the 88A counts add up to -4, and a year's count of offences is never below zero",
    ),
    ("count far below zero", _other_offence_row(_set(7, -100_000_001)), "is too far below zero"),
    ("blank count", _other_offence_row(_set(7, "")), "Number of Offences"),
    ("non-numeric count", _other_offence_row(_set(7, "lots")), "'lots'"),
    ("formula", _other_offence_row(_set(3, "=HYPERLINK(1)")), "looks like a spreadsheet formula"),
    ("count of 10^20", home_office_rows((2022,), grooming=lambda f, y, q: 10**20), "is too large"),
    ("no rows", [], "no rows"),
]


# openpyxl stores "=..." as a real formula with no cached value, which python-calamine reads as an
# empty cell (it never evaluates formulas): in XLSX there is no formula text to refuse.
EVERY_CASE = [
    pytest.param(container, rows, message, id=f"{case}-{container}")
    for case, rows, message in HOME_OFFICE_CASES
    for container in CONTAINERS
    if (case, container) != ("formula", "xlsx")
]


@pytest.mark.parametrize(("container", "rows", "message"), EVERY_CASE)
def test_a_bad_home_office_table_is_refused_in_every_container(seeded, container, rows, message):
    _refused(CONTAINERS[container](HOME_OFFICE_HEADER, rows), f"open-data.{container}", "home-office", message)


def test_a_home_office_table_with_a_duplicated_row_is_refused(seeded):
    rows = home_office_rows((2022,))
    rows.append(next(row for row in rows if row[6] == "28E"))
    _refused(as_csv(HOME_OFFICE_HEADER, rows), "open-data.csv", "home-office", "an earlier row gives the same")


def test_a_home_office_table_with_no_88a_rows_is_refused(seeded):
    rows = [row for row in home_office_rows((2022,)) if row[6] != "88A"]
    _refused(as_csv(HOME_OFFICE_HEADER, rows), "open-data.csv", "home-office", "no rows for offence code 88A")


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_tidy_count_of_ten_to_the_twentieth_is_refused_in_every_container(seeded, container):
    rows = tidy_rows({**TIDY_ROW, "value": "100000000000000000000"})
    _refused(CONTAINERS[container](TIDY_HEADER, rows), f"figures.{container}", "tidy", "is too large")


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_tidy_file_with_a_header_and_no_rows_is_refused(seeded, container):
    _refused(CONTAINERS[container](TIDY_HEADER, []), f"figures.{container}", "tidy", "no figures")


def test_an_xlsx_of_a_few_kilobytes_declaring_every_cell_is_refused(seeded):
    workbook = Workbook()
    workbook.active["A1"], workbook.active["XFD1048576"] = "geography_code", "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    _refused(buffer.getvalue(), "tiny.xlsx", "tidy", "17,179,869,184 cells")


def test_an_xlsx_that_unzips_to_2_gb_is_refused(seeded, tmp_path):
    template = io.BytesIO(as_xlsx({"Data": [TIDY_HEADER]}))
    bomb = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w", force_zip64=True) as part:
                    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
                    for piece in repeated(b"<worksheet><sheetData>", row, 2_100_000_000, b"</sheetData></worksheet>"):
                        part.write(piece)
            else:
                target.writestr(item, source.read(item.filename))
    assert len(bomb.getvalue()) < 10_000_000
    _refused(bomb.getvalue(), "bomb.xlsx", "tidy", "unzips to")


def test_an_xlsx_with_an_xml_entity_bomb_is_refused(seeded):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10)
        )
        + b']><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    template = io.BytesIO(as_xlsx({"Data": [TIDY_HEADER]}))
    bomb = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, laughs if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename))
    _refused(bomb.getvalue(), "laughs.xlsx", "tidy", "entity")


def _refused(content: bytes, name: str, file_format: str, message: str) -> None:
    before = table_counts()
    upload = upload_bytes(content, name, file_format)
    assert upload.status == Upload.Status.REJECTED
    assert any(message in error for error in upload.errors), upload.errors
    assert table_counts() == before
