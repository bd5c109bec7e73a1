"""An administrator publishes a Home Office table in the browser: log in, upload, preview, publish."""

import pytest
from django.contrib.auth.models import User

from stats.models import Figure, Upload
from tests.browser.conftest import screenshot
from tests.conftest import SEED_RELEASES
from tests.uploads.files import HOME_OFFICE_HEADER, as_csv, home_office_rows


@pytest.mark.usefixtures("site_to_change")
def test_an_admin_uploads_previews_and_publishes(page, site, tmp_path, settings, console_errors):
    settings.MEDIA_ROOT = tmp_path / "media"
    User.objects.create_superuser("editor", password="a-long-editor-password-1")
    table = tmp_path / "open-data.csv"
    table.write_bytes(as_csv(HOME_OFFICE_HEADER, home_office_rows()))

    page.goto(site + "/admin/stats/upload/add/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-editor-password-1")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("File").set_input_files(str(table))
    page.get_by_label("Format").select_option("home-office")
    page.get_by_label("Publisher").fill("Home Office")
    page.get_by_label("Title of the publication").fill("Police recorded crime open data tables, browser test")
    page.get_by_label("Publication date").fill("2025-07")
    page.get_by_role("button", name="Upload and check").click()

    page.get_by_text("110 new figures").wait_for()
    assert page.get_by_text("Rows for British Transport Police, which polices no area: 16").is_visible()
    assert not Figure.objects.filter(offence__slug="sexual-grooming", period__label="2022/23").exists()
    screenshot(page, "admin-upload-preview")

    page.get_by_role("button", name="Publish").click()
    page.get_by_text(f"Published release {SEED_RELEASES + 1}: 110 new figures for 55 areas").wait_for()
    screenshot(page, "admin-upload-published")
    assert Upload.objects.get().status == Upload.Status.PUBLISHED
    assert page.get_by_text("New figure").first.is_visible()  # the release lists what it changed

    page.goto(site + "/areas/E23000014/")
    assert page.get_by_role(
        "heading", name="Sexual grooming (Home Office 88A): offences recorded, West Midlands Police"
    ).is_visible()
    assert console_errors == []
