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
    # The format is left on its default: the Home Office header is recognised.
    page.get_by_label("Publisher").fill("Home Office")
    page.get_by_label("Title of the publication").fill("Police recorded crime open data tables, browser test")
    page.get_by_label("Publication date").fill("2025-07")
    page.get_by_role("button", name="Upload and check").click()

    page.get_by_text("110 new figures").wait_for()
    assert page.get_by_text("so it was checked as one").is_visible()
    group = page.locator("details.preview-group").first
    assert group.locator("summary").inner_text().startswith("Sexual grooming (Home Office 88A): Offences recorded")
    assert not group.get_by_text("West Midlands Police").first.is_visible()  # folded until opened
    assert page.get_by_text("Rows for British Transport Police, which polices no area: 16").is_visible()
    assert not Figure.objects.filter(offence__slug="sexual-grooming", period__label="2022/23").exists()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"admin-upload-preview-{width}")
    group.locator("summary").click()
    assert group.get_by_role("rowheader", name="West Midlands Police E23000014").first.is_visible()
    screenshot(page, "admin-upload-preview-open-1280")

    page.get_by_role("button", name="Publish").click()
    page.get_by_text(f"Published release {SEED_RELEASES + 1}: 110 new figures for 55 areas").wait_for()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"admin-upload-published-{width}")
    assert Upload.objects.get().status == Upload.Status.PUBLISHED
    page.get_by_text("Every figure this release added, changed or took down").click()  # folded until opened
    assert page.get_by_text("New figure").first.is_visible()  # the release lists what it changed
    assert not page.get_by_text("None").count() and not page.get_by_text("stats/seed").count()

    page.get_by_role("link", name="Withdraw this release…").click()
    page.get_by_text("Withdrawing it takes down 110 figures").wait_for()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"admin-withdraw-confirm-{width}")
    page.get_by_role("button", name=f"Withdraw release {SEED_RELEASES + 1}").click()
    page.get_by_text("Tick the box to confirm what will be taken down.").wait_for()
    assert Upload.objects.get().status == Upload.Status.PUBLISHED  # nothing withdrawn without the box ticked
    page.goto(site + "/admin/")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"admin-home-{width}")

    page.goto(site + "/areas/E23000014/")
    assert page.get_by_role(
        "heading", name="Sexual grooming (Home Office 88A): offences recorded, West Midlands Police"
    ).is_visible()
    assert console_errors == []
