"""What every answer shares: caching until the next release, 304s, open CORS, no cookies, fair use."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Release
from stats.releases import Entry, SourceDetails, publish
from tests.api.routes import EVERY_ROUTE
from tests.conftest import SEED_RELEASES
from tests.pages import SITE

CACHE_CONTROL = "public, max-age=300, s-maxage=300, stale-while-revalidate=60"
PATHS = [EVERY_ROUTE[0], "/api/v1/figures?geography=E12000005&include_children=true", *EVERY_ROUTE[1:]]


def _publish_a_new_release() -> Release:
    period = PeriodSpan("2025/26", dt.date(2025, 4, 1), dt.date(2026, 3, 31), "financial_year")
    row = FigureRow("E23000014", period, "sexual-communication-with-a-child", "offences-recorded", "", Decimal(500),
                    "count", "")  # fmt: skip
    release, _ = publish(entries=[Entry(row, SourceDetails("A", "B", "2026-11"))], kind="upload", summary="test")
    return release


@pytest.mark.parametrize("path", PATHS)
def test_an_answer_is_cacheable_open_to_every_site_and_sets_no_cookie(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == CACHE_CONTROL
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["ETag"].startswith(f'"{SEED_RELEASES}-')
    latest = Release.objects.get(number=SEED_RELEASES)
    assert response["Last-Modified"] == http_date(latest.published_at.timestamp())
    assert not response.cookies
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("path", PATHS)
def test_the_etag_or_the_release_date_sent_back_gives_a_304_with_no_body(seeded, client, path):
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again["Cache-Control"] == CACHE_CONTROL
    since = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(path, headers={"If-None-Match": '"1-0123456789abcdef"'}).status_code == 200


def test_a_new_release_changes_the_etag_and_the_date_so_a_cached_copy_is_fetched_again(seeded, client):
    first = client.get("/api/v1/figures")
    release = _publish_a_new_release()
    again = client.get("/api/v1/figures", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"].startswith(f'"{release.number}-')
    assert client.get("/api/v1/figures", headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 200


def test_a_bad_parameter_is_a_400_even_with_a_matching_etag(seeded, client):
    etag = client.get("/api/v1/figures")["ETag"]
    response = client.get("/api/v1/figures?page=0", headers={"If-None-Match": etag})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_request_is_answered_for_reading(seeded, client):
    response = client.options(
        "/api/v1/figures?geography=E12000005",
        headers={
            "Origin": "https://newsroom.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert not response.cookies


def test_head_gives_the_headers_of_get_without_the_body(seeded, client):
    get = client.get("/api/v1/releases")
    head = client.head("/api/v1/releases")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]


def test_errors_are_open_to_every_site_too(seeded, client):
    for path in ("/api/v1/figures?offence=x", "/api/v1/figures/999999", "/api/v1/nothing"):
        response = client.get(path)
        assert response.status_code in (400, 404)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.cookies


def test_over_the_fair_use_limit_the_api_answers_429_with_retry_after(seeded, client, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/offences").status_code == 200
    refused = client.get("/api/v1/figures")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert refused["Cache-Control"] == "no-store"
    body = refused.json()
    assert "fair-use limit is 3 requests every 60 seconds" in body["error"]
    assert body["docs"] == f"{SITE}/api/"
    # Another address has its own count; the documentation page is never limited.
    assert client.get("/api/v1/offences", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/api/").status_code == 200
    cache.clear()
    assert client.get("/api/v1/figures").status_code == 200
