"""A CSV file's encoding, read from its bytes: UTF-8 as saved, Windows-1252 as Excel's "CSV" saves
it, and a UTF-8 file with a value pasted from Windows refused, naming the line and the byte.

The files are real: the seed's figures (UTF-8, with en dashes and curly apostrophes in its notes)
and the Home Office table the project already tests with.
"""

import codecs
from pathlib import Path

import pytest

from stats.importers.files import TEXT_CHUNK_BYTES
from stats.models import Upload
from tests.uploads.conftest import table_counts, upload_bytes
from tests.uploads.test_hostile_spreadsheets import read_all, refusal, write
from tests.uploads.test_real_home_office_table import REAL_TABLE

FIGURES = Path(__file__).resolve().parents[2] / "stats" / "seed" / "figures.csv"
EN_DASH = "\u2013"


def figures_lines() -> list[bytes]:
    return FIGURES.read_bytes().splitlines(keepends=True)


def first_line_with_a_dash() -> int:
    """The number of the first line of the figures holding an en dash; lines after it hold more."""
    lines = figures_lines()
    number = next(n for n, line in enumerate(lines, start=1) if EN_DASH.encode() in line)
    assert any(EN_DASH.encode() in line for line in lines[number:])  # the rest of the file still has UTF-8
    return number


def with_one_dash_pasted_from_windows(number: int) -> bytes:
    """The figures with the en dash of one line as Windows-1252 writes it: the byte 0x96."""
    lines = figures_lines()
    lines[number - 1] = lines[number - 1].replace(EN_DASH.encode(), EN_DASH.encode("cp1252"), 1)
    return b"".join(lines)


PASTED = (
    "Line {} has the byte 0x96, which is not UTF-8 (the rest of the file is UTF-8): perhaps one value was "
    "pasted from Windows. Save the file again as CSV UTF-8."
)


def test_the_seed_figures_are_utf8_with_characters_beyond_ascii():
    text = FIGURES.read_text(encoding="utf-8")
    assert EN_DASH in text and "\u2019" in text


def test_a_utf8_file_with_one_value_pasted_from_windows_is_refused_naming_the_line_and_byte(tmp_path):
    number = first_line_with_a_dash()
    path = write(tmp_path / "figures.csv", with_one_dash_pasted_from_windows(number))
    assert refusal(path) == PASTED.format(number)


def test_the_same_file_is_refused_when_its_utf8_comes_only_after_the_byte(tmp_path):
    """The UTF-8 that shows the file is UTF-8 may come a megabyte after the byte that is not."""
    rows = REAL_TABLE.read_bytes().splitlines(keepends=True)
    rows[16] = rows[16].replace(b"\n", b" \x96\n")  # line 17
    rows[-1] = rows[-1].replace(b"\n", " \u2013\n".encode())
    content = b"".join(rows)
    assert content.index(b"\x96") < TEXT_CHUNK_BYTES < content.index("\u2013".encode())
    assert refusal(write(tmp_path / "table.csv", content)) == PASTED.format(17)


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_the_line_named_is_right_past_the_first_megabyte_whatever_the_line_endings(tmp_path, ending):
    rows = REAL_TABLE.read_bytes().splitlines()
    number = 20_000  # past the first megabyte
    rows[number - 1] += b",Ynys M\xf4n"  # "Ynys Môn" saved by Windows, in a file of UTF-8
    rows[0] += ",note \u2013 UTF-8".encode()
    content = ending.join(rows) + ending
    assert content.index(b"\xf4") > TEXT_CHUNK_BYTES
    message = refusal(write(tmp_path / "table.csv", content))
    assert message.startswith(f"Line {number} has the byte 0xF4, which is not UTF-8 (the rest of the file is UTF-8)")


def test_a_crlf_split_between_two_chunks_is_one_line_break(tmp_path):
    head = b"area,note \xe2\x80\x93 UTF-8\r\n"  # the note's en dash is UTF-8
    filler = b"E23000014,x\r\n"
    lines = (TEXT_CHUNK_BYTES - len(head)) // len(filler)
    content = head + filler * lines
    content += b"y" * (TEXT_CHUNK_BYTES - 1 - len(content)) + b"\r\nE23000015,a\x96b\r\n"
    assert content[TEXT_CHUNK_BYTES - 1 : TEXT_CHUNK_BYTES + 1] == b"\r\n"  # the CRLF straddles the chunks
    # The header, the filler lines, the line of y's, and then the line with the byte.
    assert refusal(write(tmp_path / "split.csv", content)) == PASTED.format(1 + lines + 1 + 1)


def test_several_bytes_that_are_not_utf8_are_counted_and_the_first_named(tmp_path):
    lines = figures_lines()
    dashed = [n for n, line in enumerate(lines) if EN_DASH.encode() in line]
    for index in dashed[:3]:
        lines[index] = lines[index].replace(EN_DASH.encode(), EN_DASH.encode("cp1252"))
    count = sum(line.count(b"\x96") for line in lines)
    assert count >= 3
    assert refusal(write(tmp_path / "figures.csv", b"".join(lines))) == (
        f"Line {dashed[0] + 1} has the byte 0x96, the first of {count} bytes that are not UTF-8 (the rest of the "
        "file is UTF-8): perhaps some values were pasted from Windows. Save the file again as CSV UTF-8."
    )


def test_a_file_with_a_utf8_byte_order_mark_and_a_byte_that_is_not_utf8_is_refused(tmp_path):
    number = first_line_with_a_dash()
    path = write(tmp_path / "figures.csv", codecs.BOM_UTF8 + with_one_dash_pasted_from_windows(number))
    assert refusal(path) == PASTED.format(number)


def test_a_file_saved_as_windows_1252_reads_as_the_same_rows_as_its_utf8(tmp_path):
    """What Excel on Windows saves for "CSV": every dash and apostrophe one byte, none UTF-8."""
    windows = FIGURES.read_text(encoding="utf-8").encode("cp1252")
    assert EN_DASH.encode("cp1252") in windows
    assert read_all(write(tmp_path / "windows.csv", windows)) == read_all(FIGURES)


def test_ynys_mon_saved_by_excel_as_windows_1252_reads_as_ynys_mon(tmp_path):
    content = "area,name\r\nW06000001,Ynys Môn\r\nW15000004,North Wales \u2013 Gogledd Cymru\r\n".encode("cp1252")
    assert b"M\xf4n" in content
    assert read_all(write(tmp_path / "windows.csv", content))[""] == [
        ["area", "name"],
        ["W06000001", "Ynys Môn"],
        ["W15000004", "North Wales \u2013 Gogledd Cymru"],
    ]


def test_the_same_text_saved_as_utf8_reads_the_same(tmp_path):
    content = "area,name\r\nW06000001,Ynys Môn\r\n".encode()
    assert read_all(write(tmp_path / "utf8.csv", content))[""] == [["area", "name"], ["W06000001", "Ynys Môn"]]


def test_the_admin_is_told_which_line_to_fix_and_nothing_is_written(seeded):
    number = first_line_with_a_dash()
    before = table_counts()
    upload = upload_bytes(with_one_dash_pasted_from_windows(number), "figures.csv", "tidy")
    assert upload.status == Upload.Status.REJECTED
    assert upload.errors == [PASTED.format(number)]
    assert table_counts() == before
