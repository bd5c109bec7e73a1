"""The upload flow in the admin, through the test client: upload, preview, publish or cancel."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stats.models import Figure, Upload
from tests.uploads.conftest import table_counts
from tests.uploads.files import HOME_OFFICE_HEADER, as_csv, home_office_rows

FORM = {
    "format": "home-office",
    "source_publisher": "Home Office",
    "source_title": "Police recorded crime open data tables, admin test",
    "source_published": "2025-07",
    "source_url": "https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
}


def _staff(*permissions: str) -> User:
    user = User.objects.create_user("staff", password="a-long-password-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


@pytest.fixture
def uploader(client, seeded):
    client.force_login(_staff("upload_figures", "view_upload"))
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
    detail = uploader.get(reverse("admin:stats_upload_change", args=[upload.pk])).content.decode()
    assert "New figure" in detail  # what the upload changed, figure by figure


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


def test_staff_without_the_upload_permission_can_read_the_history_but_not_upload(client, seeded):
    client.force_login(_staff("view_upload"))
    assert client.get(reverse("admin:stats_upload_changelist")).status_code == 200
    assert client.get(reverse("admin:stats_upload_add")).status_code == 403
    response = client.post(reverse("admin:stats_upload_add"), {**FORM, "file": SimpleUploadedFile("x.csv", b"a")})
    assert response.status_code == 403 and not Upload.objects.exists()


def test_staff_without_the_upload_permission_cannot_publish(client, seeded):
    client.force_login(_staff("upload_figures", "view_upload"))
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
