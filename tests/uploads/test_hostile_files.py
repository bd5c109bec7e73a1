"""Files that once crashed the check: each is now refused with a message, and nothing is written."""

import pytest

from stats.models import Upload
from tests.uploads.conftest import table_counts, upload_bytes
from tests.uploads.files import HOME_OFFICE_HEADER, TIDY_HEADER, as_csv, home_office_rows, tidy_rows

ROW = {
    "geography_code": "K02000001",
    "period_label": "2024/25",
    "period_start": "2024-04-01",
    "period_end": "2025-03-31",
    "offence": "sexual-communication-with-a-child",
    "measure": "platform-share",
    "platform": "Snapchat",
    "unit": "percent",
}


def _ho_count(text: str) -> bytes:
    rows = home_office_rows((2022,))
    rows[0][7] = text
    return as_csv(HOME_OFFICE_HEADER, rows)


@pytest.mark.parametrize(
    ("content", "file_format", "message"),
    [
        (b"a,b\n\x81x,\xe9\n", "tidy", "The file's text encoding is not one we recognise."),
        (b"\xff\xfe" + "geography_code,period_label".encode("utf-16-le") + b"\x00", "tidy", "cannot be read"),
        (as_csv(TIDY_HEADER, tidy_rows({**ROW, "value": "12.345"})), "tidy", "'12.345' has more than 2 decimal places"),
        (as_csv(TIDY_HEADER, tidy_rows({**ROW, "measure": "offences-recorded", "platform": "", "unit": "count",
                                        "value": "99999999999"})), "tidy", "is too large"),
        (_ho_count("\u00b2"), "home-office", "should be a whole number of offences"),
        (as_csv(["geography_code", "year", "age_band", "population"], [["E23000014", "\u00b2" * 4, "0-17", "5"]]),
         "population", "should be a mid-year estimate"),
    ],
)  # fmt: skip
def test_a_file_that_once_crashed_is_refused_cleanly(seeded, content, file_format, message):
    before = table_counts()
    upload = upload_bytes(content, "hostile.csv", file_format)
    assert upload.status == Upload.Status.REJECTED
    assert any(message in error for error in upload.errors), upload.errors
    assert table_counts() == before


def test_publishing_twice_publishes_once(seeded, settings, tmp_path):
    from stats.publishing import PublishError, publish_upload
    from tests.uploads.conftest import HOME_OFFICE_SOURCE

    upload = upload_bytes(as_csv(HOME_OFFICE_HEADER, home_office_rows()), "o.csv", "home-office", HOME_OFFICE_SOURCE)
    stale = Upload.objects.get(pk=upload.pk)
    publish_upload(upload=upload)
    with pytest.raises(PublishError, match="only a checked upload can be published"):
        publish_upload(upload=stale)
    upload.refresh_from_db()
    assert upload.figures_new == 110


def test_the_losing_upload_of_two_publishes_of_the_same_figures_is_not_recorded_as_published(seeded):
    """Two admins check the same file and both press Publish: the publishing lock lets one
    through first, and the other then finds nothing new (what it does under the lock, in order)."""
    from stats.models import Release
    from stats.publishing import publish_upload
    from tests.uploads.conftest import HOME_OFFICE_SOURCE

    content = as_csv(HOME_OFFICE_HEADER, home_office_rows())
    first, second = (upload_bytes(content, f"{n}.csv", "home-office", HOME_OFFICE_SOURCE) for n in "ab")
    assert first.figures_new == second.figures_new == 110  # both previews promised 110 new figures
    winner = publish_upload(upload=first)
    assert publish_upload(upload=second) is None
    second.refresh_from_db()
    assert second.status == Upload.Status.ALREADY_PUBLISHED and second.figures_new == 0
    assert second.get_status_display() == "Not published: every figure in it was already published"
    assert not Release.objects.filter(upload=second).exists() and Release.objects.first() == winner
