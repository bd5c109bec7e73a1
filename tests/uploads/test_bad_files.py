"""A corpus of bad files: each is refused with its own message, and no data table changes."""

import pytest

from stats.models import Upload
from tests.uploads.conftest import table_counts, upload_bytes
from tests.uploads.files import HOME_OFFICE_HEADER, TIDY_HEADER, TIDY_ROW, as_csv, home_office_rows, tidy_rows

GOOD = TIDY_ROW
SHARE = {**GOOD, "geography_code": "K02000001", "measure": "platform-share", "platform": "Snapchat", "unit": "percent"}


def tidy(*rows: dict, header=TIDY_HEADER) -> bytes:
    return as_csv(header, tidy_rows(*rows))


def home_office(rows: list[list], header=HOME_OFFICE_HEADER) -> bytes:
    return as_csv(header, rows)


def _ho_with(change) -> bytes:
    rows = home_office_rows((2022,))
    change(rows)
    return home_office(rows)


CORPUS = [
    ("empty file", b"", "tidy", "The file is empty."),
    ("header only", tidy(), "tidy", "The file has a header row but no figures."),
    (
        "renamed column",
        as_csv(["geo_code", *TIDY_HEADER[1:]], tidy_rows(GOOD)),
        "tidy",
        "Missing column: geography_code. Found column we do not use: geo_code. Expected columns: geography_code,",
    ),
    (
        "unknown area",
        tidy({**GOOD, "geography_code": "E2300014"}),
        "tidy",
        "Row 2, column geography_code: 'E2300014' is not a known area code "
        "\u2014 did you mean E23000014 West Midlands Police?",
    ),
    (
        "unknown offence",
        tidy({**GOOD, "offence": "sexual-comunication-with-a-child"}),
        "tidy",
        "'sexual-comunication-with-a-child' is not a known offence "
        "\u2014 did you mean sexual-communication-with-a-child",
    ),
    ("unknown measure", tidy({**GOOD, "measure": "arrests"}), "tidy", "'arrests' is not a known measure (use one of:"),
    (
        "unknown platform",
        tidy({**SHARE, "platform": "Snapchatt", "value": "40"}),
        "tidy",
        "'Snapchatt' is not a known platform \u2014 did you mean Snapchat?",
    ),
    (
        "period ends before it starts",
        tidy({**GOOD, "period_end": "2024-03-31"}),
        "tidy",
        "column period_end: '2024-03-31' is before period_start 2024-04-01",
    ),
    (
        "wrong financial year label",
        tidy({**GOOD, "period_label": "2025/26"}),
        "tidy",
        "column period_label: '2025/26' should be '2024/25'",
    ),
    (
        "date not ISO",
        tidy({**GOOD, "period_start": "01/04/2024"}),
        "tidy",
        "'01/04/2024' is not a date written YYYY-MM-DD",
    ),
    ("not a number", tidy({**GOOD, "value": "lots"}), "tidy", "column value: 'lots' is not a number"),
    ("negative", tidy({**GOOD, "value": "-3"}), "tidy", "column value: '-3' is negative"),
    (
        "over 100 percent",
        tidy({**SHARE, "value": "140"}),
        "tidy",
        "column value: '140' is over 100 but the unit is percent",
    ),
    ("fractional count", tidy({**GOOD, "value": "12.5"}), "tidy", "'12.5' should be a whole number of count"),
    (
        "unit of another measure",
        tidy({**GOOD, "unit": "percent"}),
        "tidy",
        "column unit: 'percent' should be 'count' for the measure offences-recorded",
    ),
    (
        "platform on a count",
        tidy({**GOOD, "platform": "Snapchat"}),
        "tidy",
        "column platform: 'Snapchat' should be empty",
    ),
    (
        "duplicate rows",
        tidy(GOOD, {**GOOD, "value": "151"}),
        "tidy",
        "Row 3: repeats row 2: the same area, period, offence, measure and platform",
    ),
    (
        "formula",
        tidy({**GOOD, "note": '=HYPERLINK("http://x")'}),
        "tidy",
        "looks like a spreadsheet formula; type the value itself",
    ),
    (
        "pdf renamed csv",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "tidy",
        "This file is a PDF document, whatever its name says.",
    ),
    ("binary", b"ID\x00\x01\x02\x03" * 50, "tidy", "This is not a text CSV file (it holds binary data)."),
    ("zip that is no spreadsheet", b"PK\x03\x04" + b"\x00" * 200, "tidy", "This spreadsheet cannot be read"),
    (
        "home office file as tidy",
        home_office(home_office_rows((2022,))),
        "tidy",
        "Missing columns: geography_code, period_label,",
    ),
    (
        "home office missing column",
        as_csv(HOME_OFFICE_HEADER[:-1], [row[:-1] for row in home_office_rows((2022,))]),
        "home-office",
        "is missing the column Number of Offences. Expected columns: Financial Year,",
    ),
    (
        "tidy file as home office",
        tidy(GOOD),
        "home-office",
        "No sheet has the Home Office column headings.",
    ),
    (
        "unknown force",
        _ho_with(lambda rows: rows[0].__setitem__(2, "West Midland")),
        "home-office",
        "column Force Name: 'West Midland' is not a police force we know \u2014 did you mean West Midlands?",
    ),
    (
        "bad financial year",
        _ho_with(lambda rows: rows[0].__setitem__(0, "2022/24")),
        "home-office",
        "column Financial Year: '2022/24' is not a financial year written like 2019/20",
    ),
    (
        "bad quarter",
        _ho_with(lambda rows: rows[0].__setitem__(1, "5")),
        "home-office",
        "column Financial Quarter: '5' should be a quarter, 1 to 4",
    ),
    (
        "count not a number",
        _ho_with(lambda rows: rows[0].__setitem__(7, "n/a")),
        "home-office",
        "column Number of Offences: 'n/a' should be a whole number of offences, like 12, 0 or -1",
    ),
    (
        "repeated quarter",
        _ho_with(lambda rows: rows.append(list(rows[0]))),
        "home-office",
        "repeats Cleveland, 2022/23 quarter 1",
    ),
]


@pytest.mark.parametrize(("name", "content", "file_format", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_a_bad_file_is_refused_with_its_message_and_changes_nothing(seeded, name, content, file_format, message):
    before = table_counts()
    upload = upload_bytes(content, f"{name}.csv", file_format)
    assert upload.status == Upload.Status.REJECTED
    assert any(message in error for error in upload.errors), upload.errors
    assert table_counts() == before


def test_a_file_over_the_size_limit_is_refused(seeded, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    before = table_counts()
    content = tidy(
        *[
            {**GOOD, "period_label": str(year), "period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}
            for year in range(2000, 2030)
        ]
    )
    upload = upload_bytes(content, "big.csv", "tidy")
    assert upload.errors == [f"The file is {round(len(content) / 1000)} KB; the largest file accepted is 1 KB."]
    assert table_counts() == before


def test_the_corpus_covers_at_least_twenty_failures():
    assert len(CORPUS) >= 20
