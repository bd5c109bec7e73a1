"""Open data: every current figure as one file, at a latest address and a dated one per release.

The files themselves are written once per release by stats/release_files.py; these views
only find and send them. A dated file never changes, so it may be cached for a year. A file
that cannot be written yet (a full disk) is "being prepared": a 503 that says when to try again,
never stored by a cache, and never a half-written file.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from dashboard.downloads import FORMATS, disposition
from dashboard.site_url import absolute_url
from stats.models import RELEASE_NUMBER_MAX, Release, ReleaseFile
from stats.records import COLUMN_CHANGES, DOWNLOAD_COLUMNS
from stats.release_files import FORMATS as FILE_FORMATS
from stats.release_files import RETRY_SECONDS, FilesNotReady, file_name, ready_files, release_file

RELEASES_PER_PAGE = 20
LATEST_MAX_AGE = 300  # the latest file changes only with a release; five minutes is fresh enough
A_YEAR = 365 * 24 * 3600


def data_page(request: HttpRequest) -> HttpResponse:
    latest = Release.objects.first()
    files = ready_files(latest) if latest else {}
    files_ready = len(files) == len(FILE_FORMATS)
    releases = Paginator(Release.objects.prefetch_related("files").select_related("withdrawn_by"), RELEASES_PER_PAGE)
    page = releases.get_page(request.GET.get("page"))
    response = render(
        request,
        "data.html",
        {
            "latest": latest,
            "files": files,
            "files_ready": files_ready,
            "releases": page,
            "columns": DOWNLOAD_COLUMNS,
            "column_changes": COLUMN_CHANGES,
            "latest_csv_url": absolute_url(reverse("data_latest", args=["csv"])),
            "latest_json_url": absolute_url(reverse("data_latest", args=["json"])),
        },
    )
    if latest and not files_ready:
        patch_cache_control(response, no_store=True)  # "being prepared" is only true for a while
    return response


def latest_figures(request: HttpRequest, file_format: str) -> HttpResponse:
    latest = Release.objects.first()
    if latest is None or file_format not in FILE_FORMATS:
        raise Http404("There is no such download.")
    return _send(request, latest, file_format, max_age=LATEST_MAX_AGE)


def release_figures(request: HttpRequest, number: int, file_format: str) -> HttpResponse:
    release = Release.objects.filter(number=number).first() if number <= RELEASE_NUMBER_MAX else None
    if release is None or file_format not in FILE_FORMATS:
        raise Http404("There is no release with that number, or no download in that format.")
    return _send(request, release, file_format, max_age=A_YEAR, immutable=True)


def _send(request: HttpRequest, release: Release, file_format: str, *, max_age: int, immutable=False) -> HttpResponse:
    try:
        stored: ReleaseFile = release_file(release, file_format)
    except FilesNotReady:
        return _being_prepared(release, file_format)
    etag = f'"{stored.sha256}"'
    unchanged = get_conditional_response(request, etag=etag, last_modified=int(release.published_at.timestamp()))
    response = unchanged or FileResponse(stored.file.open("rb"), content_type=FORMATS[file_format])
    if unchanged is None:
        response["Content-Disposition"] = disposition(file_name(release, file_format))
        response["Content-Length"] = str(stored.size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(release.published_at.timestamp())
    response["Access-Control-Allow-Origin"] = "*"  # a researcher's notebook on another site may fetch it
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age)
    if immutable:
        patch_cache_control(response, immutable=True)
    return response


def _being_prepared(release: Release, file_format: str) -> HttpResponse:
    response = HttpResponse(
        f"The {file_format.upper()} file of release {release.number} is being prepared. "
        f"Please try again in a few minutes: every figure is on the dashboard meanwhile.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    patch_cache_control(response, no_store=True)
    return response
