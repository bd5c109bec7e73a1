"""Good files in both formats and every container publish exactly their figures, once."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from stats.models import Change, Figure, Release, Upload
from stats.publishing import PublishError, SourceDetails, publish_upload
from tests.uploads.conftest import HOME_OFFICE_SOURCE, NSPCC_SOURCE, table_counts, upload_bytes
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

ROWS = tidy_rows(
    {
        **TIDY_ROW,
        "note": "Café note: £0 cost, 44 forces",
    },
    {
        "geography_code": "K02000001",
        "period_label": "2025/26",
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "offence": "sexual-communication-with-a-child",
        "measure": "platform-share",
        "platform": "Snapchat",
        "value": "38.5",
        "unit": "percent",
    },
)
HOME_OFFICE_SHEETS = {
    "Notes": [["These tables are test data"]],
    "2022-23": [HOME_OFFICE_HEADER, *home_office_rows((2022,))],
    "2023_24": [HOME_OFFICE_HEADER, *home_office_rows((2023,))],
}
TIDY_FILES = {
    "utf-8.csv": as_csv(TIDY_HEADER, ROWS),
    "utf-8-bom.csv": b"\xef\xbb\xbf" + as_csv(TIDY_HEADER, ROWS),
    "utf-16.csv": as_csv(TIDY_HEADER, ROWS, encoding="utf-16"),
    "windows-1252.csv": as_csv(TIDY_HEADER, ROWS, encoding="cp1252"),
    "semicolons.csv": as_csv(TIDY_HEADER, ROWS, delimiter=";"),
    "figures.xlsx": as_xlsx({"Figures": [TIDY_HEADER, *ROWS]}),
    "figures.ods": as_ods({"Figures": [TIDY_HEADER, *ROWS]}),
}
HOME_OFFICE_FILES = {
    "open-data.csv": as_csv(HOME_OFFICE_HEADER, home_office_rows()),
    "open-data.xlsx": as_xlsx(HOME_OFFICE_SHEETS),
    "open-data.ods": as_ods(HOME_OFFICE_SHEETS),
}


def _next_release() -> int:
    """The number the next release will have, after however many the seed has published."""
    return Release.objects.count() + 1


def _published(content: bytes, name: str, file_format: str, details: SourceDetails) -> Upload:
    upload = upload_bytes(content, name, file_format, details)
    assert upload.status == Upload.Status.PREVIEWED, upload.errors
    publish_upload(upload=upload, warnings_confirmed=True)  # what each warning says is tested on its own
    return upload


@pytest.mark.parametrize("name", TIDY_FILES)
def test_a_tidy_file_publishes_its_figures(seeded, name):
    upload = _published(TIDY_FILES[name], name, "tidy", NSPCC_SOURCE)
    assert (upload.figures_new, upload.figures_changed, upload.figures_unchanged) == (2, 0, 0)
    # The second row's 2025/26 ends after this source's date: worth a second look, not a refusal.
    assert upload.warnings == [
        "The period 2025/26 ended after the source was published (2025-11-13). "
        "Check the periods and the publication date."
    ]
    added = Figure.objects.filter(source__title=NSPCC_SOURCE.title)
    wmp = added.get(geography__code="E23000014")
    assert wmp.value == 150 and wmp.note == "Café note: £0 cost, 44 forces" and wmp.period.label == "2024/25"
    share = added.get(platform__name="Snapchat")
    assert share.value == Decimal("38.5") and share.unit == "percent"
    assert share.source.published_label == "13 November 2025"


@pytest.mark.parametrize("name", HOME_OFFICE_FILES)
def test_home_office_tables_publish_forces_regions_and_england_and_wales(seeded, name):
    upload = _published(HOME_OFFICE_FILES[name], name, "home-office", HOME_OFFICE_SOURCE)
    figures = Figure.objects.filter(source__title=HOME_OFFICE_SOURCE.title, offence__slug="sexual-grooming")
    assert figures.count() == 2 * (43 + 9 + 2 + 1)  # forces, regions, England and Wales, and both together
    quarters = 11 + 12 + 13 + 14
    assert figures.get(geography__code="E23000014", period__label="2022/23").value == quarters
    assert figures.get(geography__code="E12000005", period__label="2023/24").value == 4 * quarters
    assert figures.get(geography__code="K04000001", period__label="2022/23").value == 43 * quarters
    assert figures.get(geography__code="E23000034", period__label="2022/23").geography.name == "City of London Police"
    assert not figures.filter(geography__code="K02000001").exists()  # the UK is more than these forces
    assert upload.skipped["Rows for British Transport Police, which polices no area"] == 16
    assert upload.skipped["Rows for Action Fraud, which polices no area"] == 16


def test_a_year_with_missing_quarters_is_left_out_and_said_so(seeded):
    rows = [row for row in home_office_rows((2024,)) if not (row[2] == "Kent" and row[1] == 4)]
    upload = upload_bytes(as_csv(HOME_OFFICE_HEADER, rows), "partial.csv", "home-office", HOME_OFFICE_SOURCE)
    publish_upload(upload=upload)
    published = Figure.objects.filter(source__title=HOME_OFFICE_SOURCE.title)
    assert not published.filter(geography__code__in=["E23000032", "E12000008", "E92000001", "K04000001"]).exists()
    assert published.filter(geography__code="E12000005").exists()
    assert "South East 2024/25: not every force in the file, so no total" in upload.skipped


def test_publishing_the_same_file_again_changes_nothing(seeded):
    _published(HOME_OFFICE_FILES["open-data.csv"], "first.csv", "home-office", HOME_OFFICE_SOURCE)
    before = table_counts()
    again = _published(HOME_OFFICE_FILES["open-data.csv"], "again.csv", "home-office", HOME_OFFICE_SOURCE)
    assert (again.figures_new, again.figures_changed, again.figures_unchanged) == (0, 0, 110)
    assert table_counts() == before


def test_a_later_release_with_a_new_value_keeps_the_old_one_as_a_revision(seeded):
    _published(HOME_OFFICE_FILES["open-data.csv"], "first.csv", "home-office", HOME_OFFICE_SOURCE)
    restated = as_csv(
        HOME_OFFICE_HEADER, home_office_rows(grooming=lambda force, year, q: 20 if force == "Kent" else 10 + q)
    )
    later = SourceDetails("Home Office", "Police recorded crime open data tables, next edition", "2026-07")
    upload = _published(restated, "next.csv", "home-office", later)
    assert (upload.figures_new, upload.figures_changed) == (0, 2 * 4)  # Kent, South East, England, E&W; two years
    kent = Figure.objects.filter(geography__code="E23000032", period__label="2022/23", offence__slug="sexual-grooming")
    assert kent.current().get().value == 80
    old = kent.superseded().get()
    assert old.value == 50 and old.source.title == HOME_OFFICE_SOURCE.title
    change = Change.objects.get(
        release__upload=upload, figure__geography__code="E23000032", figure__period__label="2022/23"
    )
    assert (change.kind, change.old_value, change.new_value, change.previous) == ("restated", 50, 80, old)


def test_a_correction_from_the_same_source_replaces_the_value_and_keeps_the_old_one_withdrawn(seeded):
    _published(TIDY_FILES["utf-8.csv"], "first.csv", "tidy", NSPCC_SOURCE)
    corrected = as_csv(TIDY_HEADER, [[*ROWS[0][:7], "151", *ROWS[0][8:]], ROWS[1]])
    upload = _published(corrected, "corrected.csv", "tidy", NSPCC_SOURCE)
    assert (upload.figures_new, upload.figures_changed, upload.figures_unchanged) == (0, 1, 1)
    figures = Figure.objects.filter(source__title=NSPCC_SOURCE.title, geography__code="E23000014")
    assert figures.current().get().value == 151
    assert figures.get(status="withdrawn").value == 150  # never overwritten: the past stays readable
    change = upload.release.changes.get()
    assert (change.kind, change.old_value, change.new_value) == ("corrected", 150, 151)


def test_an_older_release_is_kept_as_an_earlier_revision_not_made_current(seeded):
    older = SourceDetails("East Anglian Daily Times", "An early report", "2018-06")
    row = tidy_rows(
        {
            "geography_code": "K04000001",
            "period_label": "2017/18",
            "period_start": "2017-04-01",
            "period_end": "2018-03-31",
            "offence": "sexual-communication-with-a-child",
            "measure": "offences-recorded",
            "value": "3100",
            "unit": "count",
        }
    )
    upload = _published(as_csv(TIDY_HEADER, row), "old.csv", "tidy", older)
    assert upload.release.changes.get().kind == "earlier"
    series = Figure.objects.filter(
        geography__code="K04000001",
        period__label="2017/18",
        offence__slug="sexual-communication-with-a-child",
        measure__slug="offences-recorded",
    )
    assert series.current().get().value == 3217


def test_public_pages_show_published_figures_at_once(seeded, client):
    client.get("/areas/E23000014/")  # a first visit, as a cache would have seen it
    _published(HOME_OFFICE_FILES["open-data.csv"], "first.csv", "home-office", HOME_OFFICE_SOURCE)
    html = client.get("/areas/E23000014/").content.decode()
    assert "Sexual grooming (Home Office 88A): offences recorded, West Midlands Police" in html


def test_the_command_previews_on_a_dry_run_and_publishes_nothing(seeded, tmp_path, capsys):
    path = tmp_path / "open-data.csv"
    path.write_bytes(HOME_OFFICE_FILES["open-data.csv"])
    before = table_counts()
    call_command(
        "import_figures", str(path), format="home-office", source_title="T", source_publisher="Home Office",
        source_published="2025-07", dry_run=True,
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "Preview: 110 new, 0 changed, 0 unchanged." in out and "Dry run: nothing was published." in out
    assert table_counts() == before
    assert Upload.objects.get().status == Upload.Status.CANCELLED


def test_the_command_publishes_and_fails_loudly_on_errors(seeded, tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(HOME_OFFICE_FILES["open-data.csv"])
    bad.write_bytes(as_csv(TIDY_HEADER, [["E2300014", *ROWS[0][1:]]]))
    args = {"source_title": "T", "source_publisher": "P", "source_published": "2025"}
    number = _next_release()
    call_command("import_figures", str(good), format="home-office", **args)
    assert f"Published release {number}: 110 new figures for 55 areas, from P: T (upload" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_figures", str(bad), format="tidy", **args)
    assert "did you mean E23000014 West Midlands Police?" in capsys.readouterr().out


def test_the_command_keeps_no_file_refused_for_its_size(seeded, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_bytes(HOME_OFFICE_FILES["open-data.csv"])
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_figures", str(path), format="home-office", source_title="T", source_publisher="P",
                     source_published="2025")  # fmt: skip
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED and not upload.file
    assert "the largest file accepted is 1 KB" in upload.errors[0]
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_the_command_will_not_publish_past_warnings_unless_told_to(seeded, tmp_path, capsys):
    rows = home_office_rows(
        (2022, 2023), grooming=lambda force, year, q: 100 if (force, year) == ("Kent", 2023) else 10
    )
    path = tmp_path / "jump.csv"
    path.write_bytes(as_csv(HOME_OFFICE_HEADER, rows))
    args = {"format": "home-office", "source_title": "T", "source_publisher": "P", "source_published": "2025"}
    before = table_counts()
    with pytest.raises(CommandError, match="warning"):
        call_command("import_figures", str(path), **args)
    assert "is more than five times" in capsys.readouterr().out and table_counts() == before
    number = _next_release()
    call_command("import_figures", str(path), accept_warnings=True, **args)
    assert f"Published release {number}:" in capsys.readouterr().out


def test_two_spans_with_one_label_are_refused_at_the_check(seeded):
    rows = tidy_rows(
        {**TIDY_ROW, "period_label": "Odd", "period_start": "2020-01-01", "period_end": "2020-06-30"},
        {**TIDY_ROW, "period_label": "Odd", "period_start": "2020-07-01", "period_end": "2020-12-31"},
        {**TIDY_ROW, "period_label": "2017/18", "period_start": "2017-04-01", "period_end": "2018-03-30"},
    )
    upload = upload_bytes(as_csv(TIDY_HEADER, rows), "odd.csv", "tidy")
    assert upload.status == Upload.Status.REJECTED
    assert any("'Odd' would name 2 different spans" in error for error in upload.errors)
    assert any("'2017/18' would name 2 different spans" in error for error in upload.errors)


def test_a_recorded_source_is_never_rewritten_by_a_later_upload(seeded):
    _published(TIDY_FILES["utf-8.csv"], "first.csv", "tidy", NSPCC_SOURCE)
    other_address = SourceDetails(
        NSPCC_SOURCE.publisher, NSPCC_SOURCE.title, NSPCC_SOURCE.published, "https://x.example/"
    )
    upload = upload_bytes(TIDY_FILES["utf-8.csv"], "again.csv", "tidy", other_address)
    assert upload.status == Upload.Status.REJECTED
    assert "already recorded with the web address 'none', not 'https://x.example/'" in upload.errors[0]
    assert Figure.objects.filter(source__title=NSPCC_SOURCE.title).first().source.url == ""


def test_a_warning_that_appears_after_the_preview_stops_the_publish(seeded):
    row = {**TIDY_ROW, "geography_code": "E23000015", "period_label": "2021/22", "period_start": "2021-04-01",
           "period_end": "2022-03-31", "value": "160"}  # fmt: skip
    upload = upload_bytes(as_csv(TIDY_HEADER, tidy_rows(row)), "a.csv", "tidy")
    assert upload.status == Upload.Status.PREVIEWED and upload.warnings == []
    later = SourceDetails("West Mercia Police", "A restatement", "2025-11-20")
    _published(as_csv(TIDY_HEADER, tidy_rows({**row, "value": "10"})), "b.csv", "tidy", later)
    with pytest.raises(PublishError, match="there is a new warning"):
        publish_upload(upload=upload)


def test_the_command_refuses_bad_source_details_with_a_message(seeded, tmp_path):
    path = tmp_path / "open-data.csv"
    path.write_bytes(HOME_OFFICE_FILES["open-data.csv"])
    with pytest.raises(CommandError, match="The title is 301 characters long"):
        call_command("import_figures", str(path), format="home-office", source_title="t" * 301,
                     source_publisher="P", source_published="2025")  # fmt: skip
    assert not Upload.objects.exists()
