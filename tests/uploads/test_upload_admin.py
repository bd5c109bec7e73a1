"""The upload flow in the admin, through the test client: upload, preview, publish or cancel."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stats.models import Figure, Release, Upload
from tests.uploads.conftest import table_counts
from tests.uploads.files import HOME_OFFICE_HEADER, as_csv, home_office_rows

FORM = {
    "format": "home-office",
    "source_publisher": "Home Office",
    "source_title": "Police recorded crime open data tables, admin test",
    "source_published": "2025-07",
    "source_url": "https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
}


@pytest.fixture
def uploader(client, seeded, make_staff):
    client.force_login(make_staff("upload_figures", "view_upload"))
    return client


def _post_file(client, content: bytes, name: str = "open-data.csv", **changes):
    data = {**FORM, **changes, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("admin:stats_upload_add"), data)


def test_an_upload_is_checked_and_previewed_before_anything_is_written(uploader):
    before = table_counts()
    response = _post_file(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows()))
    upload = Upload.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:stats_upload_preview", args=[upload.pk])
    preview = uploader.get(response.url).content.decode()
    assert "<strong>110</strong> new figures" in preview
    assert "Rows for British Transport Police, which polices no area: 16" in preview
    assert table_counts() == before
    assert upload.uploaded_by.username == "staff" and len(upload.sha256) == 64


def test_publishing_from_the_preview_writes_the_figures(uploader):
    _post_file(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows()))
    upload = Upload.objects.get()
    response = uploader.post(reverse("admin:stats_upload_preview", args=[upload.pk]), {"publish": "Publish"})
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PUBLISHED and upload.decided_by.username == "staff"
    assert Figure.objects.filter(source=upload.source).count() == 110
    assert response.url == reverse("admin:stats_release_change", args=[upload.release.pk])
    detail = uploader.get(response.url).content.decode()
    assert "New figure" in detail  # what the release changed, figure by figure
    assert (
        f"Release {upload.release.pk}"
        in uploader.get(reverse("admin:stats_upload_change", args=[upload.pk])).content.decode()
    )


def test_a_cancelled_upload_is_recorded_and_writes_nothing(uploader):
    before = table_counts()
    _post_file(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows()))
    upload = Upload.objects.get()
    uploader.post(reverse("admin:stats_upload_preview", args=[upload.pk]), {"cancel": "Cancel"})
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CANCELLED
    assert table_counts() == before
    response = uploader.post(reverse("admin:stats_upload_preview", args=[upload.pk]), {"publish": "Publish"})
    assert table_counts() == before and response.status_code == 302


def test_a_rejected_upload_lists_its_errors_and_offers_no_publish_button(uploader):
    rows = home_office_rows((2022,))
    rows[2][2] = "West Midland"  # an 88A row
    response = _post_file(uploader, as_csv(HOME_OFFICE_HEADER, rows))
    html = uploader.get(response.url).content.decode()
    assert "1 problem found: nothing can be published" in html
    assert "Row 4, column Force Name: &#x27;West Midland&#x27; is not a police force we know" in html
    assert 'name="publish"' not in html
    assert Upload.objects.get().status == Upload.Status.REJECTED


def test_the_form_refuses_a_made_up_day(uploader):
    response = _post_file(uploader, b"x", source_published="2025-7-1x")
    assert response.status_code == 200
    assert "is not a date written YYYY, YYYY-MM or YYYY-MM-DD" in response.content.decode()
    assert not Upload.objects.exists()


def test_templates_and_column_rules_can_be_downloaded(uploader):
    csv = uploader.get(reverse("admin:stats_upload_template_csv"))
    assert csv.content.decode("utf-8-sig").startswith("geography_code,period_label,period_start,period_end,offence")
    xlsx = uploader.get(reverse("admin:stats_upload_template_xlsx"))
    assert xlsx.content[:2] == b"PK"
    rules = uploader.get(reverse("admin:stats_upload_columns")).content.decode()
    assert "<code>E23000014</code>: West Midlands Police" in rules and "<code>platform-share</code>" in rules


def test_staff_without_the_upload_permission_can_read_the_history_but_not_upload(client, seeded, make_staff):
    client.force_login(make_staff("view_upload"))
    assert client.get(reverse("admin:stats_upload_changelist")).status_code == 200
    assert client.get(reverse("admin:stats_upload_add")).status_code == 403
    response = client.post(reverse("admin:stats_upload_add"), {**FORM, "file": SimpleUploadedFile("x.csv", b"a")})
    assert response.status_code == 403 and not Upload.objects.exists()


def test_staff_without_the_upload_permission_cannot_publish(client, seeded, make_staff):
    client.force_login(make_staff("upload_figures", "view_upload"))
    _post_file(client, as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))))
    upload = Upload.objects.get()
    client.force_login(User.objects.create_user("viewer", is_staff=True))
    User.objects.get(username="viewer").user_permissions.set(Permission.objects.filter(codename="view_upload"))
    response = client.post(reverse("admin:stats_upload_preview", args=[upload.pk]), {"publish": "Publish"})
    assert response.status_code == 403
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PREVIEWED


def test_admin_logins_are_throttled_with_a_cool_off(client, seeded):
    User.objects.create_superuser("boss", password="the-right-password-1")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "boss", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "boss", "password": "the-right-password-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _preview(client, content: bytes, name: str = "open-data.csv", **changes) -> tuple[Upload, str]:
    _post_file(client, content, name, **changes)
    upload = Upload.objects.latest("pk")
    return upload, client.get(reverse("admin:stats_upload_preview", args=[upload.pk])).content.decode()


def test_a_big_jump_must_be_ticked_before_it_is_published(uploader):
    rows = home_office_rows(
        (2022, 2023), grooming=lambda force, year, q: 100 if (force, year) == ("Kent", 2023) else 10
    )
    before = table_counts()
    upload, html = _preview(uploader, as_csv(HOME_OFFICE_HEADER, rows))
    assert "warning" in html and "is more than five times" in html and 'name="warnings_checked"' in html
    url = reverse("admin:stats_upload_preview", args=[upload.pk])
    response = uploader.post(url, {"publish": "Publish"}, follow=True)
    assert "Tick the box to confirm you have checked the warnings" in response.content.decode()
    assert table_counts() == before
    uploader.post(url, {"publish": "Publish", "warnings_checked": "yes"})
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PUBLISHED and upload.release.figures_added == 110


def test_unused_columns_and_every_note_are_shown_in_the_preview(uploader):
    from tests.uploads.files import TIDY_HEADER, TIDY_ROW, tidy_rows

    rows = [[*row, "ignored"] for row in tidy_rows({**TIDY_ROW, "note": "Forces answering: 44 of 45"})]
    _, html = _preview(uploader, as_csv([*TIDY_HEADER, "comments"], rows), "tidy.csv", format="tidy")
    assert "Column(s) comments are not used and will be left out." in html
    assert "Forces answering: 44 of 45" in html  # the note goes live, so the admin sees it first


def test_after_a_refused_upload_the_source_is_filled_in_for_the_next_try(uploader):
    upload, html = _preview(uploader, b"not,a,home,office,table\n1,2,3,4,5\n", source_url="https://example.org/x")
    assert upload.status == Upload.Status.REJECTED and "Upload a corrected file" in html
    form = uploader.get(reverse("admin:stats_upload_add"), {"again": upload.pk}).content.decode()
    assert 'value="Police recorded crime open data tables, admin test"' in form
    assert 'value="https://example.org/x"' in form and 'value="2025-07"' in form


def test_a_file_refused_for_its_size_is_recorded_but_never_kept(uploader, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    upload, html = _preview(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))))
    assert upload.status == Upload.Status.REJECTED and not upload.file
    assert "the largest file accepted is 1 KB" in html and "it was not kept" in html
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_a_file_that_changes_nothing_says_so_and_makes_no_release(uploader):
    seed_releases = Release.objects.count()
    _post_file(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))))
    first = Upload.objects.get()
    uploader.post(reverse("admin:stats_upload_preview", args=[first.pk]), {"publish": "Publish"})
    upload, html = _preview(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))), "again.csv")
    assert "Nothing would change: every figure in this file is already published." in html
    uploader.post(reverse("admin:stats_upload_preview", args=[upload.pk]), {"publish": "Publish"})
    assert Release.objects.count() == seed_releases + 1  # the seed's and the first upload's


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_published": "9999-12"}, "is not between 1990 and today"),
        ({"source_url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"source_title": "x" * 301}, "at most 300 characters"),
        ({"source_publisher": "Home\u202e Office"}, "control character"),
    ],
)
def test_the_form_refuses_bad_source_details_without_a_500(uploader, changes, message):
    response = _post_file(uploader, b"x", **changes)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Upload.objects.exists()


def test_the_preview_names_and_groups_the_figures_and_picks_out_the_unchanged(uploader):
    _post_file(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))))
    first = Upload.objects.get()
    uploader.post(reverse("admin:stats_upload_preview", args=[first.pk]), {"publish": "Publish"})
    # The next year's table repeats 2022/23 as it was and adds 2023/24.
    response = _post_file(uploader, as_csv(HOME_OFFICE_HEADER, home_office_rows((2022, 2023))), name="next.csv")
    upload = Upload.objects.exclude(pk=first.pk).get()
    assert (upload.figures_new, upload.figures_unchanged) == (55, 55)
    page = uploader.get(response.url).content.decode()
    groups = page.count('<details class="preview-group">')
    assert (
        groups == 1
        and "<summary><strong>Sexual grooming (Home Office 88A): Offences recorded</strong>: "
        "55 new, 55 unchanged</summary>"
        in page
    )
    assert "E12000005 | sexual-grooming" not in page
    assert (
        '<th scope="row">West Midlands Police <span class="quiet">E23000014</span></th><td>2022/23</td>'
        "<td>Unchanged: already published, nothing written</td>" in page
    )
    assert (
        '<th scope="row">West Midlands Police <span class="quiet">E23000014</span></th><td>2023/24</td><td>New</td>'
        in page
    )
