"""Files built to crash or exhaust the process that reads them: each is refused with a message.

Read through open_sheets alone, so no database is needed. Spreadsheets are read in a
child process with limits; the tests that lower a limit prove the limit holds, and
that the process running the tests carries on.
"""

import codecs
import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from stats.importers import files, spreadsheet_to_csv
from stats.importers.files import FileProblem, open_sheets, readable_size, refuse_size_or_type
from tests.uploads.files import as_csv, as_ods, as_xlsx

MAX_BYTES = 200_000_000
SMALL = {"Figures": [["area", "value"], ["E23000014", 150]]}
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10))
    + b"]>"
)


def read_all(path: Path) -> dict[str, list[list[str]]]:
    return {sheet.name: list(sheet.rows) for sheet in open_sheets(path, max_bytes=MAX_BYTES)}


def refusal(path: Path) -> str:
    with pytest.raises(FileProblem) as problem:
        read_all(path)
    return str(problem.value)


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def with_part(template: bytes, part: str, chunks: Iterable[bytes], path: Path) -> Path:
    """A copy of a spreadsheet with one part replaced, written as a stream so it may be gigabytes."""
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for info in source.infolist():
            if info.filename == part:
                with archive.open(part, "w", force_zip64=True) as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                archive.writestr(info, source.read(info))
    return path


def edited_part(template: bytes, part: str, edit, path: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(template)) as source:
        return with_part(template, part, [edit(source.read(part))], path)


def repeated(head: bytes, row: bytes, size: int, tail: bytes) -> Iterator[bytes]:
    """About size bytes of XML: the row over and over, a megabyte at a time."""
    chunk = row * (1_000_000 // len(row))
    yield head
    for _ in range(size // len(chunk) + 1):
        yield chunk
    yield tail


WORKSHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def sheet_of(rows: int, columns: int) -> Iterator[bytes]:
    yield WORKSHEET
    for _ in range(rows):
        yield (
            b"<row>" + b"".join(b'<c t="inlineStr"><is><t>cell %d</t></is></c>' % c for c in range(columns)) + b"</row>"
        )
    yield b"</sheetData></worksheet>"


@pytest.fixture(scope="module")
def xlsx_bomb(tmp_path_factory) -> Path:
    """A few megabytes whose sheet unzips to 2.1 GB of rows."""
    row = b'<row><c t="inlineStr"><is><t>grooming</t></is></c></row>'
    chunks = repeated(WORKSHEET, row, 2_100_000_000, b"</sheetData></worksheet>")
    return with_part(as_xlsx(SMALL), "xl/worksheets/sheet1.xml", chunks, tmp_path_factory.mktemp("bombs") / "b.xlsx")


@pytest.fixture(scope="module")
def ods_bomb(tmp_path_factory) -> Path:
    cell = b'<table:table-cell office:value-type="string"><text:p>grooming</text:p></table:table-cell>'
    row = b"<table:table-row>" + cell + b"</table:table-row>"
    chunks = repeated(b"<office:document-content>", row, 2_100_000_000, b"</office:document-content>")
    return with_part(as_ods(SMALL), "content.xml", chunks, tmp_path_factory.mktemp("bombs") / "b.ods")


@pytest.fixture(scope="module")
def million_cells(tmp_path_factory) -> Path:
    """An ordinary sheet of 100,000 rows and 10 columns: about 120 MB and a second to read."""
    path = tmp_path_factory.mktemp("sheets") / "million.xlsx"
    return with_part(as_xlsx(SMALL), "xl/worksheets/sheet1.xml", sheet_of(100_000, 10), path)


@pytest.fixture(scope="module")
def slow_sheet(tmp_path_factory) -> Path:
    """300,000 rows of 10 columns: at least 2.5 seconds of processor time to read even on a fast
    machine (measured: 100,000 rows took 0.87 s), so a 1-second limit always stops it."""
    path = tmp_path_factory.mktemp("sheets") / "slow.xlsx"
    return with_part(as_xlsx(SMALL), "xl/worksheets/sheet1.xml", sheet_of(300_000, 10), path)


# Zip archives, checked before any parser runs ----------------------------------------


def test_a_few_kilobytes_declaring_every_cell_of_a_sheet_are_refused_from_the_declared_range(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Figures"
    workbook.active["A1"] = "area"
    workbook.active["XFD1048576"] = "value"
    path = tmp_path / "corners.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 10_000
    assert refusal(path) == (
        "Sheet 'Figures' declares the range A1:XFD1048576, which is 17,179,869,184 cells; we read at most "
        "10,000,000 cells a sheet. Delete any rows and columns after your data and save it again, or save the "
        "data as CSV and upload that: a CSV file has no such limit."
    )


def test_the_same_sheet_hiding_its_range_is_stopped_by_the_memory_limit_and_the_tests_carry_on(tmp_path, caplog):
    workbook = Workbook()
    workbook.active["A1"] = "area"
    workbook.active["XFD1048576"] = "value"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = edited_part(
        buffer.getvalue(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:XFD1048576"', b'<dimension ref="A1"'),
        tmp_path / "lying.xlsx",
    )
    # Read in this process, python-calamine would ask for 550 GB and abort pytest itself.
    assert refusal(path).startswith("This spreadsheet needs more memory to read than we allow (2.0 GB).")
    assert re.search(r"reader ended with (SIGABRT|SIGKILL|exit code 3)", caplog.text)


def test_an_xlsx_whose_sheet_unzips_to_2_gb_is_refused_quickly(xlsx_bomb):
    assert xlsx_bomb.stat().st_size < 20_000_000
    started = time.monotonic()
    assert refusal(xlsx_bomb) == (
        "The spreadsheet's part xl/worksheets/sheet1.xml unzips to 2.1 GB, over the 1.0 GB we read. "
        "Save the data as CSV and upload that."
    )
    assert time.monotonic() - started < 5


def test_an_ods_whose_content_unzips_to_2_gb_is_refused_quickly(ods_bomb):
    started = time.monotonic()
    assert refusal(ods_bomb) == (
        "The spreadsheet's part content.xml unzips to 2.1 GB, over the 1.0 GB we read. "
        "Save the data as CSV and upload that."
    )
    assert time.monotonic() - started < 5


def test_a_part_compressed_over_200_to_1_is_refused(tmp_path):
    chunks = repeated(WORKSHEET, b" ", 100_000_000, b"</sheetData></worksheet>")
    path = with_part(as_xlsx(SMALL), "xl/worksheets/sheet1.xml", chunks, tmp_path / "spaces.xlsx")
    assert re.fullmatch(
        r"The spreadsheet's part xl/worksheets/sheet1\.xml unzips to 101\.0 MB from \d+ KB, compressed over 200 "
        r"to 1 as only files made to exhaust memory are\. Save the data as CSV and upload that\.",
        refusal(path),
    )


def test_an_archive_of_over_10000_parts_is_refused(tmp_path):
    path = tmp_path / "parts.xlsx"
    path.write_bytes(as_xlsx(SMALL))
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(10_000):
            archive.writestr(f"xl/media/{number}.txt", "")
    assert refusal(path) == (
        "The spreadsheet is a zip archive of 10,009 parts, over the 10,000 we read. "
        "Save the data as CSV and upload that."
    )


def test_parts_adding_up_to_over_the_total_are_refused(tmp_path, monkeypatch):
    # In this process, to lower the total: building over 1 GB of parts would be slow.
    monkeypatch.setattr(spreadsheet_to_csv, "MAX_TOTAL_BYTES", 100_000)
    path = tmp_path / "parts.xlsx"
    path.write_bytes(as_xlsx(SMALL))
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(3):
            archive.writestr(f"xl/media/{number}.bin", os.urandom(40_000))
    with pytest.raises(FileProblem, match=r"^The spreadsheet unzips to 1\d\d KB in all, over the 100 KB we read\."):
        spreadsheet_to_csv.check_archive(path)


@pytest.mark.parametrize(
    ("part", "text"),
    [("xl/worksheets/sheet1.xml", b"<t>area</t>"), ("xl/workbook.xml", b'name="Figures"')],
    ids=["in a sheet, read by python-calamine", "in the workbook, read by our own check"],
)
def test_an_xml_entity_bomb_is_refused_with_a_message(tmp_path, part, text):
    def bomb(xml: bytes) -> bytes:
        assert text in xml
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return LAUGHS + body.replace(text, text.replace(b"area", b"&lol9;").replace(b"Figures", b"&lol9;"))

    path = edited_part(as_xlsx(SMALL), part, bomb, tmp_path / "laughs.xlsx")
    assert refusal(path) == (
        "This spreadsheet's XML is malformed or uses features we refuse, such as entity definitions. "
        "Save it again from Excel or LibreOffice, or save the data as CSV, and upload that."
    )


@pytest.mark.parametrize("make", [as_xlsx, as_ods], ids=["xlsx", "ods"])
def test_a_spreadsheet_cut_short_is_refused(tmp_path, make):
    content = make(SMALL)
    assert refusal(write(tmp_path / "cut.xlsx", content[: len(content) // 2])) == (
        "This spreadsheet cannot be read: it is not a complete zip archive, as XLSX and ODS files are. "
        "It may have been cut short while saving or uploading. Save it again and upload it again."
    )


def test_a_zip_that_is_not_a_spreadsheet_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("figures.csv", "area,value\nE23000014,150\n")
    assert refusal(write(tmp_path / "figures.zip", buffer.getvalue())) == (
        "This file is a zip archive but not a spreadsheet: it holds no workbook. Upload a CSV, XLSX or ODS file."
    )


# The child process and its limits -------------------------------------------------


def test_the_memory_limit_stops_the_reader_and_the_tests_carry_on(million_cells, monkeypatch, caplog):
    monkeypatch.setattr(files, "SPREADSHEET_MEMORY_BYTES", 100_000_000)
    assert refusal(million_cells) == (
        "This spreadsheet needs more memory to read than we allow (100.0 MB). Save the data as CSV and upload "
        "that: a CSV file is read a row at a time, so has no such limit."
    )
    assert re.search(r"reader ended with (SIGABRT|SIGKILL|exit code 3)", caplog.text)


def test_the_same_sheet_reads_within_the_usual_limits(million_cells):
    sheets = read_all(million_cells)
    assert list(sheets) == ["Figures"]
    assert len(sheets["Figures"]) == 100_000
    assert sheets["Figures"][-1] == [f"cell {c}" for c in range(10)]


def test_the_processor_time_limit_stops_the_reader(slow_sheet, monkeypatch, caplog):
    monkeypatch.setattr(files, "SPREADSHEET_CPU_SECONDS", 1)
    assert refusal(slow_sheet).startswith("This spreadsheet takes longer to read than we allow (1 seconds).")
    assert "reader ended with SIGXCPU" in caplog.text


def test_the_wall_clock_limit_stops_the_reader(slow_sheet, monkeypatch):
    monkeypatch.setattr(files, "SPREADSHEET_WALL_SECONDS", 0.5)
    started = time.monotonic()
    assert refusal(slow_sheet).startswith("This spreadsheet takes longer to read than we allow (0.5 seconds).")
    assert time.monotonic() - started < 2.5  # reading it whole takes 2.5 seconds or more


def test_the_disk_limit_stops_the_reader(million_cells, monkeypatch):
    monkeypatch.setattr(files, "SPREADSHEET_DISK_BYTES", 1_000_000)
    assert refusal(million_cells) == (
        "This spreadsheet holds more than 1.0 MB of text once unpacked, more than we read from one file. "
        "Check this is the right file, or split the figures across several files."
    )


def test_a_reader_that_fails_unexpectedly_still_gives_a_message(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(files, "SPREADSHEET_READER", "stats.importers.no_such_reader")
    path = write(tmp_path / "figures.xlsx", as_xlsx(SMALL))
    assert refusal(path) == (
        "This spreadsheet cannot be read by our spreadsheet reader. Save it again as XLSX, ODS or CSV."
    )
    assert "reader ended with exit code 1" in caplog.text and "No module named" in caplog.text


TWO_SHEETS = {"One": [["a"], ["1"]], "Two": [["b"], ["2"]]}


@pytest.fixture
def temporary(tmp_path, monkeypatch) -> Path:
    """Where the sheets are unpacked, so a test can see them come and go."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()
    return tmp_path / "temporary"


def test_the_unpacked_sheets_are_removed_when_reading_stops_early_or_finishes(tmp_path, temporary):
    path = write(tmp_path / "figures.xlsx", as_xlsx(TWO_SHEETS))
    sheets = open_sheets(path, max_bytes=MAX_BYTES)
    assert next(sheets).name == "One"
    assert len(list(temporary.iterdir())) == 1
    sheets.close()
    assert list(temporary.iterdir()) == []
    assert read_all(path) == {"One": [["a"], ["1"]], "Two": [["b"], ["2"]]}
    assert list(temporary.iterdir()) == []


def test_the_rows_of_every_sheet_can_be_read_after_the_last_sheet_is_taken(tmp_path, temporary):
    sheets = list(open_sheets(write(tmp_path / "figures.ods", as_ods(TWO_SHEETS)), max_bytes=MAX_BYTES))
    assert len(list(temporary.iterdir())) == 1
    assert [list(sheet.rows) for sheet in reversed(sheets)] == [[["b"], ["2"]], [["a"], ["1"]]]
    assert list(temporary.iterdir()) == []  # every sheet's rows are read


def test_the_reader_does_not_import_django():
    code = "import sys, stats.importers.spreadsheet_to_csv; print(sorted(m for m in sys.modules if 'django' in m))"
    finished = subprocess.run(
        [sys.executable, "-c", code], cwd=files.PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert finished.stdout.strip() == "[]"


# Ordinary spreadsheets read as before ------------------------------------------------

ORDINARY = {
    "Figures": [
        ["area", "period", "value", "rate", "note"],
        ["E23000014", "2024/25", 150, 2.5, "plain"],
        ["E23000015", "2024/25", 0, 12.25, 'with a comma, and "quotes"'],
        ["E23000016", "2023/24", 31, 0.5, "two\nlines"],
    ],
    "Notes \u2013 2025 \u2018draft\u2019": [["note"], ["café; naïve"], ["'quoted'"]],
}


@pytest.mark.parametrize("make", [as_xlsx, as_ods], ids=["xlsx", "ods"])
def test_an_ordinary_spreadsheet_reads_to_the_same_rows_as_the_csv_of_its_data(tmp_path, make):
    sheets = read_all(write(tmp_path / "figures.bin", make(ORDINARY)))
    assert list(sheets) == list(ORDINARY)
    for name, rows in ORDINARY.items():
        csv_file = write(tmp_path / "sheet.csv", as_csv(rows[0], rows[1:]))
        assert sheets[name] == read_all(csv_file)[""]


def test_every_kind_of_cell_reads_as_it_did_when_read_in_this_process(tmp_path):
    rows = [
        ["text", "integer", "float", "boolean", "date", "datetime", "time", "empty"],
        ["a", 3, 3.75, True, dt.date(2024, 4, 1), dt.datetime(2024, 4, 1, 9, 30), dt.time(9, 30), None],
        ["b", -1, 1e-7, False, dt.datetime(2025, 3, 31), dt.datetime(2025, 3, 31, 23, 59, 59), dt.time(0, 0), ""],
    ]
    path = write(tmp_path / "kinds.xlsx", as_xlsx({"Kinds": rows}))
    workbook = CalamineWorkbook.from_path(str(path))  # how open_sheets read it before, on a file known to be safe
    before = [list(map(spreadsheet_to_csv._cell_text, row)) for row in workbook.get_sheet_by_name("Kinds").iter_rows()]
    assert read_all(path) == {"Kinds": before}
    assert before[1][:6] == ["a", "3", "3.75", "yes", "2024-04-01", "2024-04-01T09:30:00"]


def test_a_cell_hiding_a_nul_in_an_xlsx_escape_is_refused(tmp_path):
    path = edited_part(
        as_xlsx(SMALL), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<t>area</t>", b"<t>ar_x0000_ea</t>"),
        tmp_path / "nul.xlsx",
    )  # fmt: skip
    assert refusal(path).startswith("Sheet 'Figures', line 1 holds a NUL character (a zero byte)")


def test_a_sheet_with_too_many_columns_is_refused(tmp_path):
    path = write(tmp_path / "wide.xlsx", as_xlsx({"Figures": [[f"c{n}" for n in range(1001)]]}))
    assert refusal(path).startswith("Sheet 'Figures', row 1 has 1,001 cells; we read at most 1,000 cells in a row.")


# CSV ------------------------------------------------------------------------------


def good_rows(count: int) -> bytes:
    return b"".join(b"E23000014,2024/25,%d\r\n" % n for n in range(count))


def test_a_nul_anywhere_in_a_csv_is_refused(tmp_path):
    content = b"area,period,value\r\n" + good_rows(300) + b"E23000014,2024/25,1\x002\r\n"
    assert content.index(b"\x00") > 4096  # past the first bytes, which are checked for binary data
    assert refusal(write(tmp_path / "nul.csv", content)) == (
        "Line 302 holds a NUL character (a zero byte), which a file of figures never holds. "
        "Check this is the right file, or save it again as CSV UTF-8 and upload that."
    )


def test_a_nul_in_a_utf16_csv_is_refused(tmp_path):
    content = codecs.BOM_UTF16_LE + "area\tvalue\r\nE23000014\t1\x002\r\n".encode("utf-16-le")
    assert refusal(write(tmp_path / "nul.csv", content)).startswith("Line 2 holds a NUL character")


def test_a_csv_whose_header_line_is_20_mb_is_refused_without_reading_it_whole(tmp_path):
    path = write(tmp_path / "one-line.csv", b"area," * 4_000_000)
    tracemalloc.start()
    try:
        message = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == (
        "Line 1 is over 1,000,000 characters long, far longer than a row of figures. "
        "Check this is the right file, saved as CSV."
    )
    assert peak < 10_000_000


def test_a_csv_with_a_huge_field_is_refused(tmp_path):
    content = b'area,note\r\nE23000014,"' + b"x" * 40_000 + b'"\r\n'
    assert refusal(write(tmp_path / "field.csv", content)) == (
        "Row 2 has a cell longer than 32,767 characters, the most a spreadsheet cell can hold. "
        "Check this is the right file, saved as CSV."
    )


def test_a_row_running_over_many_lines_is_refused_before_it_is_held_whole(tmp_path):
    content = b"area,note\r\n" + b'"a\r\n",' * 200_000 + b"\r\n"  # one row of 200,000 cells over 200,000 lines
    assert refusal(write(tmp_path / "lines.csv", content)).startswith("Row 2 is over 1,000,000 characters long")


def test_a_csv_row_with_too_many_cells_is_refused(tmp_path):
    content = b"area,value\r\n" + b"1," * 1000 + b"1\r\n"
    assert refusal(write(tmp_path / "wide.csv", content)) == (
        "Row 2 has 1,001 cells; we read at most 1,000 cells in a row. "
        "Delete the empty columns after your data, or check this is the right file."
    )


def test_a_csv_row_at_every_limit_is_read(tmp_path):
    header = [f"column {n}" for n in range(1000)]
    content = as_csv(header, [["x" * 32_767, *[""] * 999]])
    sheets = read_all(write(tmp_path / "limits.csv", content))
    assert [len(row) for row in sheets[""]] == [1000, 1000]
    assert sheets[""][1][0] == "x" * 32_767


def test_the_csv_field_limit_is_set_for_this_process():
    assert csv.field_size_limit() == 32_767


# Size and type, before a file is kept ----------------------------------------------


@pytest.mark.parametrize(
    ("size", "head", "message"),
    [
        (0, b"", "The file is empty."),
        (
            200_000_001,
            b"area,value",
            "The file is 200,000,001 bytes; the largest file accepted is 200,000,000 bytes.",
        ),
        (260_000_000, b"area,value", "The file is 260.0 MB; the largest file accepted is 200.0 MB."),
        (900, b"%PDF-1.7", "This file is a PDF document, whatever its name says. Upload a CSV, XLSX or ODS file."),
        (900, b"\x89PNG\r\n", "This file is a PNG image, whatever its name says. Upload a CSV, XLSX or ODS file."),
        (
            900,
            b"\xff\xd8\xff\xe0",
            "This file is a JPEG image, whatever its name says. Upload a CSV, XLSX or ODS file.",
        ),
    ],
    ids=["empty", "a byte over the limit", "over the limit", "pdf", "png", "jpeg"],
)
def test_a_file_is_refused_for_its_size_or_type_before_it_is_kept(size, head, message):
    with pytest.raises(FileProblem) as problem:
        refuse_size_or_type(size=size, head=head, max_bytes=MAX_BYTES)
    assert str(problem.value) == message


def test_a_file_at_the_limit_of_an_accepted_type_is_not_refused():
    refuse_size_or_type(size=MAX_BYTES, head=b"PK\x03\x04", max_bytes=MAX_BYTES)


def test_the_upload_limit_is_200_mb_as_documented(settings):
    if "UPLOAD_MAX_BYTES" in os.environ:
        pytest.skip("the limit is set in this environment")
    assert settings.UPLOAD_MAX_BYTES == 200_000_000
    assert readable_size(settings.UPLOAD_MAX_BYTES) == "200.0 MB"
    assert readable_size(2_147_483_648) == "2.1 GB"
