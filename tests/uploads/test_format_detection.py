"""A file uploaded with the format left on its default is checked in the format its header names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stats.importers.detect import format_of_header
from stats.models import Upload
from tests.uploads.conftest import table_counts
from tests.uploads.files import as_xlsx
from tests.uploads.test_real_home_office_table import HEADER, REAL_TABLE, ROWS

FORM = {
    "format": "tidy",  # the form's default, left as it is
    "source_publisher": "Home Office",
    "source_title": "Police recorded crime open data tables by police force area, 2017/18 (detection test)",
    "source_published": "2019-08",
    "source_url": "https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
}


@pytest.fixture
def uploader(client, seeded, make_staff):
    client.force_login(make_staff("upload_figures", "view_upload"))
    return client


def _post(client, content: bytes, name: str, **changes):
    data = {**FORM, **changes, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("admin:stats_upload_add"), data, follow=True)


def test_the_real_home_office_table_left_on_the_default_format_is_read_as_one(uploader):
    before = table_counts()
    response = _post(uploader, REAL_TABLE.read_bytes(), REAL_TABLE.name)
    upload = Upload.objects.get()
    page = response.content.decode()
    assert (upload.format, upload.status, upload.error_count) == ("home-office", "previewed", 0)
    assert "Missing column" not in page
    assert "so it was checked as one (the format chosen was “Our tidy template (one figure per row)”)" in page
    assert upload.figures_new + upload.figures_changed + upload.figures_unchanged > 0
    assert table_counts() == before  # checked and previewed: nothing written


def test_a_home_office_workbook_with_a_notes_sheet_first_is_recognised(uploader):
    workbook = as_xlsx({"Notes": [["About these tables"]], "Data": [HEADER, *ROWS[:2000]]})
    _post(uploader, workbook, "prc.xlsx")
    assert Upload.objects.get().format == "home-office"


def test_a_file_whose_header_names_no_format_keeps_the_format_chosen_and_its_message(uploader):
    response = _post(uploader, b"area,year,count\r\nE12000005,2024,3\r\n", "odd.csv")
    upload = Upload.objects.get()
    assert (upload.format, upload.status) == ("tidy", "rejected")
    assert "Missing columns: geography_code" in response.content.decode()


def test_a_tidy_file_with_bad_rows_is_not_switched_to_another_format(uploader):
    """The header names the format chosen: its errors are the file's, not the format's."""
    tidy = (
        b"geography_code,period_label,period_start,period_end,offence,measure,platform,value,unit,note\r\n"
        b"E12000005,2024/25,2024-04-01,2025-03-31,no-such-offence,offences-recorded,,3,count,\r\n"
    )
    _post(uploader, tidy, "tidy.csv")
    assert (Upload.objects.get().format, Upload.objects.get().status) == ("tidy", "rejected")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER, "home-office"),
        ([f" {c.upper()}\u00a0" for c in HEADER], "home-office"),
        (["geography_code", "year", "age_band", "population", "note"], "population"),
        (
            ["geography_code", "period_label", "period_start", "period_end", "offence", "measure", "value", "unit"],
            "tidy",
        ),
        (HEADER[:-1], ""),
        ([], ""),
    ],
)
def test_a_header_names_the_format_whose_every_required_column_it_holds(header, expected):
    assert format_of_header(header) == expected
