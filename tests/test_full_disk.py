"""A disk that fills: a publish stays live and says so, nothing half-written is kept or served,
and the missing files are written by themselves once there is room. On a real tmpfs."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from stats.models import Release, ReleaseFile, Upload
from stats.release_files import RETRY_SECONDS, release_file, resting_key
from tests.full_disk import fill, tiny_disk
from tests.test_open_data import body, new_figure
from tests.uploads.files import HOME_OFFICE_HEADER, as_csv, home_office_rows
from tests.uploads.test_upload_admin import FORM

ROOM = 64 * 1024  # less than any release file of the seed (hundreds of KB), more than a one-year upload (27 KB)


@pytest.fixture
def full_media(settings):
    """MEDIA_ROOT on a disk with ROOM bytes left: a release file starts to be written, then fails."""
    with tiny_disk("1m") as disk:
        settings.MEDIA_ROOT = disk / "media"
        settings.MEDIA_ROOT.mkdir()
        fill(disk, leave=ROOM)
        yield disk


def stored_files(disk) -> set[str]:
    return {str(path.relative_to(disk)) for path in disk.rglob("*") if path.is_file()} - {"filler"}


def test_a_publish_whose_files_cannot_be_written_is_live_and_says_so(seeded, full_media, tmp_path, capsys,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    path = tmp_path / "open-data.csv"
    path.write_bytes(as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_figures", str(path), format="home-office", source_title="T", source_publisher="P",
                     source_published="2025")  # fmt: skip
    release = Release.objects.first()
    out, err = capsys.readouterr()
    assert f"Published release {release.number}:" in out and "It is live now." in out
    assert (
        f"Warning: The download files of release {release.number} could not be written: No space left on device. "
        "Everything else is live." in err
    )
    assert not ReleaseFile.objects.filter(release=release).exists()
    # The original upload fitted; no part of either release file was left behind.
    assert stored_files(full_media) == {f"media/{Upload.objects.get().file.name}"}


def test_while_the_files_cannot_be_written_the_downloads_say_so_and_nothing_caches_that(
    seeded, full_media, client, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        release = new_figure()
    page = client.get("/data/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert f"Release {release.number} was published" in page.content.decode()
    assert "Its download files are being prepared" in page.content.decode()
    for path in ("/data/figures.csv", f"/data/releases/{release.number}/figures.json"):
        download = client.get(path)
        assert download.status_code == 503 and download["Retry-After"] == str(RETRY_SECONDS)
        assert "no-store" in download["Cache-Control"]
        assert f"of release {release.number} is being prepared" in download.content.decode()
    assert stored_files(full_media) == set()

    (full_media / "filler").unlink()  # room again
    # Within the minute after a failure no server tries again: each try reads every figure.
    assert client.get("/data/figures.csv").status_code == 503
    cache.delete(resting_key(release.number))  # the minute has passed
    csv_download = client.get("/data/figures.csv")
    assert csv_download.status_code == 200
    stored = ReleaseFile.objects.get(release=release, format="csv")
    sent = body(csv_download)
    with stored.file.open("rb") as kept:
        assert sent == kept.read() and len(sent) == stored.size
    assert csv_download["ETag"] == f'"{stored.sha256}"'
    page = client.get("/data/")
    assert "no-store" not in page["Cache-Control"] and "being prepared" not in page.content.decode()
    assert {f.format for f in ReleaseFile.objects.filter(release=release)} == {"csv", "json"}


def test_a_file_missing_from_storage_is_never_rewritten_under_its_cited_name(seeded, client, settings, tmp_path):
    release = Release.objects.first()
    stored = release_file(release, "csv")
    settings.MEDIA_ROOT = tmp_path  # a server whose storage lacks the files the database names
    assert client.get("/data/figures.csv").status_code == 503
    assert not any(tmp_path.iterdir())
    assert ReleaseFile.objects.get(pk=stored.pk).sha256 == stored.sha256  # kept, for an operator to restore


def test_the_admin_is_told_what_is_live_and_what_is_not_yet(seeded, full_media, client, make_staff,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(make_staff("upload_figures", "view_upload", "view_release"))
    data = {**FORM, "file": SimpleUploadedFile("open-data.csv", as_csv(HOME_OFFICE_HEADER, home_office_rows((2022,))))}
    client.post(reverse("admin:stats_upload_add"), data)
    upload = Upload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        preview = reverse("admin:stats_upload_preview", args=[upload.pk])
        response = client.post(preview, {"publish": "Publish"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Published release {upload.release.number}:" in page and "It is live now." in page
    assert "could not be written: No space left on device. Everything else is live." in page


def test_an_upload_to_a_full_disk_is_refused_plainly_and_keeps_nothing(seeded, full_media, client, make_staff):
    client.force_login(make_staff("upload_figures", "view_upload"))
    fill(full_media)  # not even room for the upload
    big = as_csv(HOME_OFFICE_HEADER, home_office_rows((2021, 2022, 2023)))
    assert len(big) > ROOM
    response = client.post(reverse("admin:stats_upload_add"), {**FORM, "file": SimpleUploadedFile("a.csv", big)})
    upload = Upload.objects.get()
    assert response.status_code == 302 and upload.status == Upload.Status.REJECTED and not upload.file
    assert upload.errors[0].startswith("The file could not be kept on the server (No space left on device)")
    assert stored_files(full_media) == set()
    preview = client.get(response.url).content.decode()
    assert "The file could not be kept on the server" in preview


def test_an_upload_whose_temporary_copy_fills_the_disk_is_refused_plainly(seeded, settings, client, make_staff):
    client.force_login(make_staff("upload_figures", "view_upload"))
    with tiny_disk("1m") as disk:
        settings.FILE_UPLOAD_TEMP_DIR = str(disk)
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # so the upload goes to a temporary file
        fill(disk, leave=ROOM)
        big = as_csv(HOME_OFFICE_HEADER, home_office_rows((2021, 2022, 2023)))
        response = client.post(reverse("admin:stats_upload_add"), {**FORM, "file": SimpleUploadedFile("a.csv", big)})
        assert response.status_code == 200
        assert "could not be received: the server has no room for it" in response.content.decode()
        assert not Upload.objects.exists()
        assert {path.name for path in disk.iterdir()} == {"filler"}
