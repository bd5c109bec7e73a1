"""The real Home Office table (2017/18, 23,068 rows) imports as published and as an admin
might re-save it, with exact 88A totals for every force and every total built from them.

The expected totals are worked out here, from the CSV with the csv module and the seed's
geographies, never by the importer. The session's seed may already publish this very file,
so the tests read what the check hands on (the rows, the preview) and the current figures,
never "N new figures".
"""

import csv
import functools
import io
import random
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from stats.importers.home_office import NOTE
from stats.models import Figure, Upload
from stats.publishing import PublishError, SourceDetails, check_upload, publish_upload, record_upload
from tests.uploads.files import FORCES_CSV, as_ods, as_xlsx

REAL_TABLE = Path(__file__).resolve().parents[2] / "stats" / "seed" / "home_office" / "prc-pfa-2017-18.csv"
# A title of its own, so that it never meets the seed's record of the same publication.
SOURCE = SourceDetails(
    publisher="Home Office",
    title="Police recorded crime open data tables by police force area, 2017/18 (test copy)",
    published="2019-08",
    url="https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
)
UNITED_KINGDOM = "K02000001"  # not a total of these tables' forces: Scotland and Northern Ireland are outside them
YEAR, QUARTER, FORCE, CODE, COUNT = 0, 1, 2, 6, 7
ADJUSTMENTS = (
    "36 rows give a negative count: the Home Office's adjustments when offences recorded earlier are"
    " reclassified or cancelled. This is normal in these tables."
)
LEFT_OUT_SHEET = "Rows of sheet '{}', which has no Home Office column headings (not a data sheet)"


def _real_table() -> tuple[list[str], list[list[str]]]:
    with REAL_TABLE.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


HEADER, ROWS = _real_table()


def _expected_totals() -> dict[str, int]:
    """88A summed over the quarters for each force (by its Home Office name), then over the forces
    beneath every region, nation and England and Wales."""
    with FORCES_CSV.open(encoding="utf-8") as handle:
        geographies = list(csv.DictReader(handle))
    code_of = {g["home_office_force_name"]: g["code"] for g in geographies if g["home_office_force_name"]}
    parent_of = {g["code"]: g["parent_code"] for g in geographies}
    totals: Counter = Counter()
    for row in ROWS:
        if row[CODE] == "88A" and row[FORCE] in code_of:  # British Transport Police has no area
            area = code_of[row[FORCE]]
            while area and area != UNITED_KINGDOM:
                totals[area] += int(row[COUNT])
                area = parent_of[area]
    return dict(totals)


EXPECTED = _expected_totals()


def test_the_expected_totals_are_those_of_the_published_table():
    forces = [code for code in EXPECTED if code.startswith(("E23", "W15"))]
    regions = [code for code in EXPECTED if code.startswith("E12")]
    assert (len(forces), len(regions), len(EXPECTED)) == (43, 9, 43 + 9 + 2 + 1)
    assert (EXPECTED["E92000001"], EXPECTED["W92000004"], EXPECTED["K04000001"]) == (4122, 307, 4429)
    assert EXPECTED["E23000032"] == 45  # Kent, as the NSPCC's comparison quotes it


# The file as published, and as an admin might save it again ---------------------------


def _csv(rows: list[list], **options) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", **options).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _as_a_spreadsheet_types_it(cell: str) -> object:
    """What Excel or LibreOffice makes of a CSV cell: ' 66776 ' is the number 66776, '-00 ' is 0,
    offence code 802 the number 802 and 4.10 the number 4.1; everything else stays text."""
    text = cell.strip()
    if not NUMBER.fullmatch(text):
        return cell
    return float(text) if "." in text else int(text)


def _workbook() -> dict[str, list[list]]:
    """The data sheet between an introduction and a sheet of notes."""
    return {
        "Introduction": [
            ["Police recorded crime open data tables by police force area"],
            ["Source: Home Office. Open Government Licence v3.0."],
        ],
        "2017-18": [HEADER, *([_as_a_spreadsheet_types_it(cell) for cell in row] for row in ROWS)],
        "Notes": [["Note 1"], ["Counts may be negative: offences recorded earlier may be reclassified or cancelled."]],
    }


def _shuffled() -> list[list[str]]:
    rows = list(ROWS)
    random.Random(2017).shuffle(rows)  # noqa: S311 (a fixed order for a test, not a secret)
    return rows


def _windows_1252_crlf() -> bytes:
    """The table is plain ASCII, the same bytes in UTF-8 and Windows-1252; a dash in each 88A
    row's description (byte 0x96, never valid UTF-8) makes it a file only Windows-1252 reads."""
    text = REAL_TABLE.read_text(encoding="utf-8").replace(",Sexual grooming,", ",Sexual grooming \u2013 88A,")
    return text.replace("\n", "\r\n").encode("cp1252")


FORMS = {
    "as-published.csv": REAL_TABLE.read_bytes,
    "windows-1252-crlf.csv": _windows_1252_crlf,
    "every-cell-quoted.csv": lambda: _csv(ROWS, quoting=csv.QUOTE_ALL),
    "shuffled.csv": lambda: _csv(_shuffled()),
    # Each form is built once (_form): the ODS workbook takes odfpy about 11 seconds to write.
    "resaved.xlsx": lambda: as_xlsx(_workbook()),
    "resaved.ods": lambda: as_ods(_workbook()),
}


@functools.cache
def _form(name: str) -> bytes:
    return FORMS[name]()


def _checked(content: bytes, name: str):
    upload = record_upload(file=ContentFile(content, name=name), file_format="home-office", details=SOURCE)
    result, _ = check_upload(upload)
    return upload, result


def _totals(result) -> dict[str, int]:
    assert {row.period.label for row in result.rows} == {"2017/18"}
    assert {row.note for row in result.rows} == {NOTE}
    totals = {row.geography_code: row.value for row in result.rows}
    assert len(totals) == len(result.rows)
    return totals


@pytest.mark.parametrize("name", FORMS)
def test_the_real_table_gives_exact_88a_totals_in_every_form(seeded, name):
    upload, result = _checked(_form(name), name)
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    assert _totals(result) == EXPECTED
    assert upload.rows_read == 23_068
    assert result.warnings == []  # no 88A quarter is negative, and every column is used
    assert upload.notes == [ADJUSTMENTS]
    bodies = {"Action Fraud": 4, "CIFAS": 4, "UK Finance": 3, "Financial Fraud Action UK": 1}
    bodies["British Transport Police"] = 524  # a force, but one that polices no area
    sheets = {LEFT_OUT_SHEET.format("Introduction"): 2, LEFT_OUT_SHEET.format("Notes"): 2}
    assert upload.skipped == {
        **(sheets if name.endswith((".xlsx", ".ods")) else {}),
        **{f"Rows for {body}, which polices no area": rows for body, rows in bodies.items()},
    }


def test_the_real_table_publishes_as_the_current_figures(seeded):
    upload, _ = _checked(_form("as-published.csv"), "as-published.csv")
    publish_upload(upload=upload, warnings_confirmed=True)  # the seed may have published these already
    current = Figure.objects.current().filter(
        offence__slug="sexual-grooming", period__label="2017/18", geography__code__in=EXPECTED
    )
    assert dict(current.values_list("geography__code", "value")) == {code: Decimal(n) for code, n in EXPECTED.items()}
    assert set(current.values_list("note", flat=True)) == {NOTE}


def test_the_preview_says_what_the_adjustments_are_and_which_sheets_were_left_out(seeded, client, make_staff):
    client.force_login(make_staff("upload_figures", "view_upload"))
    upload, _ = _checked(_form("resaved.xlsx"), "resaved.xlsx")
    page = client.get(reverse("admin:stats_upload_preview", args=[upload.pk])).content.decode()
    heading = "<h2>About this file</h2>"
    about = page[page.index(heading) + len(heading) :]
    assert ADJUSTMENTS.replace("'", "&#x27;") in about[: about.index("<h2>")]  # in a section of its own
    for sheet in ("Introduction", "Notes"):
        assert f"{LEFT_OUT_SHEET.format(sheet)}: 2".replace("'", "&#x27;") in page
    assert "warnings_checked" not in page  # a note asks for nothing to be ticked


def test_the_command_prints_the_note_on_adjustments(seeded, capsys):
    call_command(
        "import_figures", str(REAL_TABLE), format="home-office", source_publisher=SOURCE.publisher,
        source_title=SOURCE.title, source_published=SOURCE.published, source_url=SOURCE.url, dry_run=True,
    )  # fmt: skip
    out = capsys.readouterr().out
    assert f"Note: {ADJUSTMENTS}" in out and "Left out: Rows for Financial Fraud Action UK" in out
    assert "Dry run: nothing was published." in out


# Rules, each shown on the real table with one row changed or added ----------------------


def _row_of(force: str, quarter: str, code: str = "88A") -> int:
    return next(at for at, row in enumerate(ROWS) if (row[FORCE], row[QUARTER], row[CODE]) == (force, quarter, code))


KENT_Q1 = _row_of("Kent", "1")
KENT_Q2 = _row_of("Kent", "2")
LAST_LINE = len(ROWS) + 2  # a row added after the last: the header is line 1


def _changed(at: int, column: int, value: str) -> list[list[str]]:
    rows = [list(row) for row in ROWS]
    rows[at][column] = value
    return rows


def _upload(rows: list[list]) -> tuple[Upload, object]:
    return _checked(_csv(rows), "changed.csv")


def _refused(rows: list[list]) -> list[str]:
    upload, _ = _upload(rows)
    assert upload.status == Upload.Status.REJECTED
    return upload.errors


def test_a_negative_88a_quarter_is_a_warning_that_must_be_ticked(seeded):
    kent = [int(row[COUNT]) for row in ROWS if (row[FORCE], row[CODE]) == ("Kent", "88A")]
    total = sum(kent) - kent[1] - 3
    upload, _ = _upload(_changed(KENT_Q2, COUNT, " -3 "))
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    assert (
        f"Kent Police 2017/18 quarter 2: the 88A count is -3, a Home Office adjustment (offences recorded earlier"
        f" reclassified or cancelled). The year's total, {total}, includes it: check it against the published table."
    ) in upload.warnings
    assert upload.notes == [ADJUSTMENTS.replace("36", "37")]
    with pytest.raises(PublishError, match="Tick the box"):
        publish_upload(upload=upload)
    publish_upload(upload=upload, warnings_confirmed=True)
    kent_now = Figure.objects.current().get(
        offence__slug="sexual-grooming", period__label="2017/18", geography__code="E23000032"
    )
    assert kent_now.value == total


def test_a_negative_88a_year_is_refused(seeded):
    errors = _refused(_changed(KENT_Q1, COUNT, "-1000"))
    total = EXPECTED["E23000032"] - int(ROWS[KENT_Q1][COUNT]) - 1000
    assert errors == [
        f"Kent Police 2017/18: the 88A counts add up to {total:,}, and a year's count of offences is never below"
        " zero; check the Number of Offences column."
    ]


@pytest.mark.parametrize("count", ["8", " 0 "], ids=["another count", "the same count"])
def test_a_repeated_88a_row_is_refused(seeded, count):
    again = [*ROWS[KENT_Q1][:COUNT], count]
    assert _refused([*ROWS, again]) == [
        f"Row {LAST_LINE}: repeats Kent, 2017/18 quarter 1, offence code 88A: an earlier row gives the same"
    ]


def test_a_combined_code_on_more_rows_than_it_has_parts_is_refused(seeded):
    homicide = ROWS[_row_of("Kent", "1", "1/4.1/4.10/4.2")]
    assert sum(1 for row in ROWS if row[: CODE + 1] == homicide[: CODE + 1]) == 4  # one row for each of its offences
    assert _refused([*ROWS, homicide]) == [
        f"Row {LAST_LINE}: repeats Kent, 2017/18 quarter 1, offence code 1/4.1/4.10/4.2 once too often: a combined"
        " code has one row for each offence it joins, so at most 4 rows for a force and quarter here"
    ]


def test_an_unknown_force_is_refused_with_a_did_you_mean(seeded):
    errors = _refused(_changed(KENT_Q1 + 1, FORCE, "Lancshire"))
    assert errors == [
        f"Row {KENT_Q1 + 3}, column Force Name: 'Lancshire' is not a police force we know"
        " \u2014 did you mean Lancashire?"
    ]


def test_rows_for_financial_fraud_action_uk_are_left_out_and_counted(seeded):
    ffa = next(row for row in ROWS if row[FORCE] == "Financial Fraud Action UK")
    more = [[*ffa[:QUARTER], quarter, *ffa[QUARTER + 1 :]] for quarter in "234" if quarter != ffa[QUARTER]]
    upload, result = _upload([*ROWS, *more])
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    assert upload.skipped["Rows for Financial Fraud Action UK, which polices no area"] == 1 + len(more)
    assert _totals(result) == EXPECTED


TOO_LARGE = (
    "is too large; no count of offences, charges or people exceeds 100,000,000 (the UK has about 69 million people)"
)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        ("1.5", "should be a whole number of offences"),
        ("12abc", "should be a whole number of offences, like 12, 0 or -1"),
        ("1e9", "should be a whole number of offences, like 12, 0 or -1"),
        (str(10**12), TOO_LARGE),
        ("-1e9", "looks like a spreadsheet formula; type the value itself"),
    ],
    ids=["1.5", "12abc", "1e9", "10**12", "-1e9"],
)
def test_a_count_that_is_not_a_whole_number_of_offences_is_refused(seeded, count, expected):
    assert _refused(_changed(KENT_Q1, COUNT, count)) == [
        f"Row {KENT_Q1 + 2}, column Number of Offences: '{count}' {expected}"
    ]


def test_a_count_saved_as_66776_point_0_is_read_as_66776(seeded):
    action_fraud = _row_of("Action Fraud", "1", "AF")
    upload, _ = _upload(_changed(action_fraud, COUNT, "66776.0"))
    assert upload.status == Upload.Status.PREVIEWED, upload.errors


@pytest.mark.parametrize("code", ["88 A", "88a.", "88-A"])
def test_a_mistyped_88a_gets_a_did_you_mean(seeded, code):
    assert _refused(_changed(KENT_Q1, CODE, code)) == [
        f"Row {KENT_Q1 + 2}, column Offence Code: '{code}' is not a Home Office offence code \u2014 did you mean"
        " 88A? Read as another offence, the row would leave its force's sexual grooming offences out of the year"
    ]


def test_the_rows_of_each_force_and_quarter_repeat_only_for_the_combined_code():
    """What the repeated-row rule was read from: only 1/4.1/4.10/4.2 repeats, and 4 times exactly."""
    keys = Counter((row[YEAR], row[QUARTER], row[FORCE], row[CODE]) for row in ROWS)
    repeats = defaultdict(set)
    for (_, _, _, code), times in keys.items():
        if times > 1:
            repeats[code].add(times)
    assert repeats == {"1/4.1/4.10/4.2": {4}}
