"""The page cache (dashboard/page_cache.py): keyed on the data's version, conditional requests,
what is never stored, and what visitors get while the database does not answer."""

import datetime as dt
import socket
import threading
import time
from decimal import Decimal

import psycopg2
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import OperationalError, connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dashboard import database_watch, page_cache
from dashboard.recent_pages import RecentPages
from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Geography, Release
from stats.releases import Entry, SourceDetails, publish
from stats.versions import current_version

pytestmark = pytest.mark.usefixtures("seeded", "page_cache")

HELPLINES = ("999", "101", "CEOP", "0800 1111", "0808 800 5000")


def _publish_west_midlands(value: int) -> Release:
    period = PeriodSpan("2031/32", dt.date(2031, 4, 1), dt.date(2032, 3, 31), "financial_year")
    row = FigureRow(
        "E23000014", period, "sexual-communication-with-a-child", "offences-recorded", "", Decimal(value), "count", ""
    )
    release, _ = publish(
        entries=[Entry(row, SourceDetails("NSPCC", "Cache test", "2032-06-01"))],
        kind=Release.Kind.UPLOAD,
        summary="A figure for the cache test",
    )
    return release


def test_a_page_is_built_once_then_served_from_the_cache_with_one_query(client):
    first = client.get("/areas/E23000014/")
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/areas/E23000014/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    # Nothing through the ORM: only the data's version, asked on the raw connection (stats/versions.py).
    assert len(queries) == 0


def test_publishing_shows_at_once_with_no_purge(client):
    client.get("/areas/E23000014/")
    kept = client.get("/areas/E23000014/")  # now also this process's own copy (RecentPages)
    assert kept["X-Cache"] == "HIT"
    assert "98,765" not in kept.content.decode()
    _publish_west_midlands(98765)
    fresh = client.get("/areas/E23000014/")
    assert fresh["X-Cache"] == "MISS"
    assert "98,765" in fresh.content.decode()


def test_an_admin_edit_changes_the_version_too(client, admin_user):
    before = current_version()
    client.get("/areas/")
    area = Geography.objects.get(code="E23000014")
    area.name = "West Midlands Police (renamed)"
    area.save()
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(area),
        object_id=str(area.pk),
        object_repr=str(area),
        action_flag=CHANGE,
    )
    assert current_version().tag != before.tag
    page = client.get("/areas/")
    assert page["X-Cache"] == "MISS"
    assert "West Midlands Police (renamed)" in page.content.decode()


def test_etag_and_last_modified_give_304s_and_a_cdn_may_keep_the_page(client):
    page = client.get("/trends/")
    assert page["Cache-Control"].startswith("public")
    for directive in ("max-age=", "s-maxage=", "stale-while-revalidate=", "stale-if-error="):
        assert directive in page["Cache-Control"]
    assert client.get("/trends/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    assert client.get("/trends/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"]).status_code == 304
    assert client.get("/trends/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    _publish_west_midlands(321)
    assert client.get("/trends/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 200


def test_gzip_and_plain_answers_are_kept_apart_and_head_has_no_body(client):
    plain = client.get("/about/")
    zipped = client.get("/about/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert client.get("/about/", HTTP_ACCEPT_ENCODING="gzip")["X-Cache"] == "HIT"
    head = client.head("/about/")
    assert head["X-Cache"] == "HIT" and head.content == b""
    assert int(head["Content-Length"]) == len(plain.content)


def test_card_downloads_and_api_answers_are_cached_too(client):
    for path in ("/?card=national&format=csv", "/api/v1/figures?geography=E23000014"):
        first = client.get(path)
        assert first.status_code == 200
        again = client.get(path)
        assert again["X-Cache"] == "HIT"
        assert again.content == first.content


def test_a_release_file_is_sent_from_its_file_and_not_copied_into_the_cache(client):
    first = client.get("/data/figures.csv", HTTP_ACCEPT_ENCODING="gzip")
    again = client.get("/data/figures.csv")
    for answer in (first, again):
        assert answer.status_code == 200 and answer.get("X-Cache") is None
        answer.close()


def test_never_stored_the_admin_posts_sessions_and_cookies(client, admin_client):
    assert admin_client.get("/areas/").get("X-Cache") is None  # an admin's session is never served a shared page
    assert client.get("/healthz").get("X-Cache") is None
    login = client.get("/admin/login/")
    assert login.get("X-Cache") is None
    assert client.post("/contact/", {}).get("X-Cache") is None


def test_a_query_string_is_part_of_the_key(client):
    one = client.get("/trends/?show=count")
    other = client.get("/trends/?show=rate")
    assert one["X-Cache"] == other["X-Cache"] == "MISS"


def test_parameters_a_page_does_not_read_never_make_a_new_entry(client):
    page = client.get("/trends/?show=rate")
    assert page["X-Cache"] == "MISS" and "X-Accel-Expires" not in page
    for junk in ("/trends/?show=rate&utm_source=x", "/trends/?zzz=1&show=rate", "/trends/?show=count&show=rate"):
        answer = client.get(junk)
        assert answer["X-Cache"] == "HIT", junk
        assert answer.content == page.content
        # nginx keys on the whole address: it must not keep a copy per junk address either.
        assert answer["X-Accel-Expires"] == "0"


def test_a_value_that_finds_nothing_is_answered_but_not_kept(client):
    for _ in range(2):
        missing = client.get("/?card=no-such-card&format=csv")
        assert missing.status_code == 404 and missing.get("X-Cache") != "HIT"


def test_a_visitors_search_is_never_stored(client):
    for _ in range(2):
        answer = client.get("/areas/?q=zzzz+nowhere")
        assert answer.status_code == 200 and answer.get("X-Cache") is None
        assert answer["X-Accel-Expires"] == "0"


def test_the_pages_an_outage_needs_are_kept_without_expiry(client, machine_redis):
    # Redis runs with maxmemory-policy volatile-lru (docs/deploy.md): it evicts only keys that expire.
    for path in ("/", "/report/", "/advice/", "/areas/", "/areas/E23000014/"):
        assert client.get(path)["X-Cache"] == "MISS"
        assert _seconds_left(path, "") == -1, path  # Redis's answer for a key that never expires
    client.get("/trends/")
    assert _seconds_left("/trends/", "") > 0
    client.get("/areas/E23000014/?offence=sexual-grooming")
    assert _seconds_left("/areas/E23000014/", "offence=sexual-grooming") > 0


def _seconds_left(path: str, query: str) -> int:
    key = page_cache._key(RequestFactory().get(path), query)
    return cache._cache.get_client().ttl(cache.make_key(key))


class _Down:
    down = True


def test_while_the_database_is_down_cached_pages_are_served_and_others_get_the_help_page(client, monkeypatch):
    cached = client.get("/report/")
    monkeypatch.setattr(database_watch, "_watch", _Down())  # the process's watch, saying it has no answer
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/report/")
        missing = client.get("/areas/E23000015/")
    assert len(queries) == 0
    assert again.status_code == 200 and again.content == cached.content
    assert missing.status_code == 503
    assert missing["Cache-Control"] == "no-store" and missing["Retry-After"]
    text = missing.content.decode()
    assert "Exit this page" in text
    for number in HELPLINES:
        assert number in text
    assert "Traceback" not in text


def test_healthz_when_healthy_and_when_the_database_is_down(client, monkeypatch):
    healthy = client.get("/healthz")
    assert healthy.status_code == 200 and healthy["Cache-Control"] == "no-store"
    report = healthy.json()
    assert report["database"] == "ok" and report["cache"].startswith("ok")
    assert report["release"] == Release.objects.latest("number").number
    monkeypatch.setattr(database_watch, "_watch", _Down())
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["database"] == "unavailable"
    assert client.post("/healthz").status_code == 405


def test_a_database_failure_during_a_page_is_a_503_with_help_never_a_trace():
    request = RequestFactory().get("/areas/E23000014/")
    middleware = page_cache.PageCacheMiddleware(lambda request: None)
    response = middleware.process_exception(request, OperationalError("server closed the connection unexpectedly"))
    assert response.status_code == 503
    assert "server closed" not in response.content.decode()
    assert middleware.process_exception(request, ValueError("a bug")) is None  # bugs stay 500s, logged


@pytest.fixture
def watch():
    """A watch whose verdict the test sets, with psycopg2 waiting through it as in a web process."""
    watch = database_watch.DatabaseWatch(connection.get_connection_params())
    before = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(watch.wait_unless_down)
    yield watch
    psycopg2.extensions.set_wait_callback(before)


def test_a_query_waiting_on_the_database_gives_up_once_the_watch_finds_it_down(db, watch):
    errors = []

    def waiting() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_sleep(10)")
        except OperationalError as error:
            errors.append(error)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=waiting)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive()  # still waiting on the database, as it should while it answers
    watch._down = True  # what the watch's thread concludes when SELECT 1 goes unanswered
    started = time.monotonic()
    thread.join(5)
    gave_up_after = time.monotonic() - started
    watch._down = False
    with connection.cursor() as cursor:  # end the sleep the server is still running
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query = 'SELECT pg_sleep(10)' AND pid <> pg_backend_pid()"
        )
    assert not thread.is_alive() and "stopped answering" in str(errors[0])
    assert gave_up_after < 0.5


def test_the_watch_notices_a_server_that_accepts_but_never_answers():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        host, port = silent.getsockname()
        watch = database_watch.DatabaseWatch({"host": host, "port": port, "user": "postgres", "dbname": "x"})
        started = time.monotonic()
        assert watch._ask() is False
        assert time.monotonic() - started < database_watch.DEADLINE + 0.5


def test_a_new_connection_to_a_server_that_never_answers_gives_up_within_a_second(watch):
    """libpq alone would wait 2 s (its shortest connect timeout); our backend does not."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        host, port = silent.getsockname()
        wrapper = connections["default"].__class__(dict(connections["default"].settings_dict))
        started = time.monotonic()
        with pytest.raises(psycopg2.OperationalError, match="did not answer"):
            wrapper.get_new_connection({"host": host, "port": port, "user": "postgres", "dbname": "x"})
        assert time.monotonic() - started < 1.5


def test_a_process_keeps_its_latest_pages_within_its_byte_budget():
    kept = RecentPages(max_bytes=250)
    for name in ("a", "b", "c"):
        kept.put(name, {"version": "1.0", "body": b"x" * 100})
    assert kept.get("a") is None  # the least recently used went first
    assert kept.get("b") is not None
    kept.put("d", {"version": "1.0", "body": b"x" * 100})
    assert kept.get("c") is None and kept.get("b") is not None  # b was read since c
    kept.put("huge", {"version": "1.0", "body": b"x" * 1000})
    assert kept.get("huge") is None and kept.get("d") is not None


def test_another_port_or_a_trailing_dot_on_the_host_is_the_same_entry(client, settings):
    # Links come from SITE_URL, so the page is the same whichever allowed Host it was asked on.
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    first = client.get("/report/", HTTP_HOST="127.0.0.1:6666")
    assert first["X-Cache"] == "MISS"
    for host in ("127.0.0.1.", "127.0.0.1:7777", "testserver"):
        again = client.get("/report/", HTTP_HOST=host)
        assert again["X-Cache"] == "HIT", host
        assert again.content == first.content


@pytest.mark.parametrize(
    "address",
    ["/trends/?geography=ZZ{n}", "/trends/?show=nonsense{n}", "/trends/?geography=ZZ{n}&card=trend&format=csv"],
)
def test_a_value_a_page_cannot_use_is_answered_with_the_default_but_not_kept(client, address):
    # Any string falls back to the default view, so keeping each would let anyone fill the cache.
    for n in range(2):
        answer = client.get(address.format(n=n))
        assert answer.status_code == 200 and answer.get("X-Cache") is None
        assert "no-store" in answer["Cache-Control"] and answer["X-Accel-Expires"] == "0"
    assert client.get("/trends/")["X-Cache"] == "MISS"  # the default view itself is kept as usual
    assert client.get("/trends/")["X-Cache"] == "HIT"
