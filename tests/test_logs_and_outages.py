"""Request ids, JSON logs, the server-error page, and the site going on without Redis."""

import io
import json
import logging
import re

import pytest
from django.test import Client

from dashboard.cache_backend import ForgivingRedisCache
from tests.test_page_cache import HELPLINES


def test_every_answer_carries_a_request_id_and_a_sensible_one_from_the_proxy_is_kept(seeded, client):
    made = client.get("/about/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/about/", HTTP_X_REQUEST_ID="nginx-1234abcd")["X-Request-ID"] == "nginx-1234abcd"
    hostile = client.get("/about/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", hostile)


@pytest.fixture
def log_lines():
    """What the JSON handler of settings.LOGGING writes, as parsed JSON lines."""
    [handler] = logging.getLogger("django.request").handlers
    buffer = io.StringIO()
    original = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(original)


def test_a_server_error_is_logged_as_json_with_its_request_id_and_the_visitor_sees_only_help(
    seeded, settings, log_lines
):
    settings.ROOT_URLCONF = "tests.failing_urls"
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/broken/", HTTP_X_REQUEST_ID="drill-request-0001")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Exit this page" in page and all(number in page for number in HELPLINES)
    assert "SELECT" not in page and "Traceback" not in page and "RuntimeError" not in page
    [error] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert error["level"] == "ERROR" and error["request_id"] == "drill-request-0001"
    assert error["path"] == "/broken/" and error["status"] == 500
    assert "RuntimeError: SELECT secret" in error["error"]


def test_without_redis_every_call_is_a_miss_and_the_outage_is_logged_once(caplog):
    # A port nothing listens on: every call fails at once, as when Redis is stopped. Django
    # makes one cache object per thread: two of them share the one outage.
    location = "redis://127.0.0.1:9/7"
    per_thread = [ForgivingRedisCache(location, {"OPTIONS": {"socket_connect_timeout": 0.25}}) for _ in range(2)]
    with caplog.at_level(logging.WARNING, logger="dashboard.cache_backend"):
        for _ in range(50):
            for cache in per_thread:
                cache.set("page", b"x")
                assert cache.get("page") is None
                assert cache.add("count", 0) is False
    warnings = [record for record in caplog.records if record.name == "dashboard.cache_backend"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


def test_with_redis_the_cache_works_and_says_when_it_is_back(caplog):
    """The machine's Redis, read and written under a key of this test's own (never stopped here)."""
    cache = ForgivingRedisCache("redis://127.0.0.1:6379/15", {"OPTIONS": {"socket_timeout": 0.25}})
    cache.set("test-logs-and-outages", {"page": 1}, timeout=30)
    assert cache.get("test-logs-and-outages") == {"page": 1}
    cache._outage.failing = True  # as after an outage
    with caplog.at_level(logging.WARNING, logger="dashboard.cache_backend"):
        assert cache.get("test-logs-and-outages") == {"page": 1}
    assert any("answers again" in record.getMessage() for record in caplog.records)
    cache.delete("test-logs-and-outages")


def test_the_site_serves_pages_with_redis_configured_but_stopped(seeded, client, settings, page_cache):
    settings.CACHES = {
        "default": {
            "BACKEND": "dashboard.cache_backend.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.25},
        }
    }
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    answers = [client.get("/about/") for _ in range(3)]
    assert all(response.status_code == 200 for response in answers)
    # Built once, then served from the process's own copy, still checked against the
    # database's version on every request since the shared cache has none.
    assert [response["X-Cache"] for response in answers] == ["MISS", "HIT", "HIT"]
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["cache"] == "unavailable (redis)"
