"""Lines end in "\\n", "\\r\\n" or, as an old Mac (and Excel's "CSV (Macintosh)") saves them, "\\r" alone:
a file reads the same at any size whichever it uses, and the line a message names is the right one.

The file is the real Home Office table (2.4 MB, 23,069 lines) the project already tests with.
"""

import pytest
from django.core.files.base import ContentFile

from stats.importers.files import MAX_ROW_CHARS
from stats.models import Upload
from stats.publishing import check_upload, record_upload
from tests.uploads.test_hostile_spreadsheets import read_all, refusal, write
from tests.uploads.test_real_home_office_table import EXPECTED, REAL_TABLE, SOURCE

ENDINGS = {"LF": b"\n", "CRLF": b"\r\n", "CR": b"\r"}
LINES = REAL_TABLE.read_bytes().splitlines()


def table_ending_in(ending: bytes, lines: list[bytes] = LINES) -> bytes:
    return ending.join(lines) + ending


@pytest.fixture(scope="module")
def published_rows() -> list[list[str]]:
    return read_all(REAL_TABLE)[""]


def test_the_real_table_is_over_two_megabytes_of_lines_ending_in_lf():
    content = REAL_TABLE.read_bytes()
    assert len(content) > 2_000_000 and b"\r" not in content and len(LINES) == 23_069


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS)
def test_the_real_table_reads_to_the_same_rows_whatever_its_line_endings(tmp_path, published_rows, ending):
    assert read_all(write(tmp_path / "table.csv", table_ending_in(ending)))[""] == published_rows


def test_the_real_table_saved_by_an_old_mac_imports_with_exact_totals(seeded):
    content = table_ending_in(b"\r")
    upload = record_upload(file=ContentFile(content, name="mac.csv"), file_format="home-office", details=SOURCE)
    result, _ = check_upload(upload)
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    assert upload.rows_read == 23_068
    assert {row.geography_code: row.value for row in result.rows} == EXPECTED


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS)
def test_an_over_long_line_is_refused_naming_its_line_whatever_the_line_endings(tmp_path, ending):
    lines = list(LINES)
    lines[19_999] = b"x" * (MAX_ROW_CHARS + 1)  # line 20,000: past the first megabyte
    assert refusal(write(tmp_path / "long.csv", table_ending_in(ending, lines))) == (
        "Line 20000 is over 1,000,000 characters long, far longer than a row of figures. "
        "Check this is the right file, saved as CSV."
    )


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS)
def test_a_line_of_exactly_the_longest_length_is_read(tmp_path, ending):
    longest = [*["x" * 999] * 999, "x" * 1000]  # 1,000 cells, each within a spreadsheet cell's limit
    line = ",".join(longest).encode()
    assert len(line) == MAX_ROW_CHARS
    rows = read_all(write(tmp_path / "long.csv", table_ending_in(ending, [b"note", line, b"y"])))[""]
    assert rows[1:] == [longest, ["y"]]


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS)
def test_a_nul_is_refused_naming_its_line_whatever_the_line_endings(tmp_path, ending):
    lines = list(LINES)
    lines[21_999] += b"\x00"
    assert refusal(write(tmp_path / "nul.csv", table_ending_in(ending, lines))).startswith(
        "Line 22000 holds a NUL character (a zero byte)"
    )


def test_a_crlf_split_between_two_chunks_of_the_scan_is_one_line_break(tmp_path):
    first = b"area,value\r\n"
    filler = b"E23000014," + b"1" * (MAX_ROW_CHARS - len(first) - 11) + b"\r\n"
    content = first + filler + b"E23000015,2\x00\r\n"
    assert content[MAX_ROW_CHARS - 1 : MAX_ROW_CHARS + 1] == b"\r\n"  # the CRLF straddles the chunks
    assert refusal(write(tmp_path / "split.csv", content)).startswith("Line 3 holds a NUL character")


ROWS_WITH_BREAKS = [["area", "note"], ["E23000014", "two\rlines"], ["E23000015", 'a "quoted"\r\rnote'], ["x", "y"]]


def test_a_quoted_cell_holding_old_mac_line_breaks_reads_as_written(tmp_path):
    content = b"".join(
        b",".join(b'"' + cell.replace('"', '""').encode() + b'"' for cell in row) + b"\r" for row in ROWS_WITH_BREAKS
    )
    assert read_all(write(tmp_path / "mac.csv", content))[""] == ROWS_WITH_BREAKS


def test_a_row_running_over_many_old_mac_lines_is_refused_before_it_is_held_whole(tmp_path):
    content = b"area,note\r" + b'"a\r",' * 200_000 + b"\r"  # one row of 200,000 cells over 200,000 lines
    assert refusal(write(tmp_path / "lines.csv", content)).startswith("Row 2 is over 1,000,000 characters long")
