"""The production server itself: gunicorn with gunicorn.conf.py and DJANGO_ENV=production,
serving the test database's seed data over a real socket."""

import http.client
import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from stats.models import Release
from stats.seeding import load_seed
from tests.servers import free_port, production_environment, wait_until_listening

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn on a spare port, reading the test database's committed seed (put back if a
    transactional test emptied it)."""
    with django_db_blocker.unblock():
        if not Release.objects.exists():
            load_seed()
    static_root = tmp_path_factory.mktemp("static")
    port = free_port()
    env = production_environment(STATIC_ROOT=str(static_root), PORT=str(port), BIND_ADDRESS="127.0.0.1")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJECT, env=env, check=True)
    log = (static_root / "gunicorn.log").open("wb")
    process = subprocess.Popen([GUNICORN, "--config", "gunicorn.conf.py"], cwd=PROJECT, env=env, stdout=log, stderr=log)
    wait_until_listening(port, process, static_root / "gunicorn.log", seconds=30)
    yield port, static_root
    process.terminate()
    process.wait(timeout=20)
    log.close()


def _get(port: int, path: str, headers: dict | None = None, method: str = "GET") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_pages_come_from_the_cache_and_the_server_names_no_version(server):
    port, _ = server
    first = _get(port, "/areas/E23000014/")
    assert first.status == 200 and first.getheader("X-Cache") == "MISS"
    statuses = {_get(port, "/areas/E23000014/").getheader("X-Cache") for _ in range(6)}
    assert statuses <= {"HIT", "MISS"} and "HIT" in statuses  # each of two processes fills its own memory cache
    assert first.getheader("Server") == "gunicorn"
    assert first.getheader("Cache-Control").startswith("public")
    health = _get(port, "/healthz")
    assert health.status == 200 and json.loads(health.body)["database"] == "ok"


def test_hashed_static_files_are_immutable_and_brotli(server):
    port, static_root = server
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    css = _get(port, f"/static/{manifest['paths']['css/site.css']}", {"Accept-Encoding": "br, gzip"})
    assert css.status == 200 and css.getheader("Content-Encoding") == "br"
    assert "immutable" in css.getheader("Cache-Control")


def test_the_longest_link_we_make_fits_the_request_line_and_a_huge_one_is_refused(server):
    port, _ = server
    limit = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))["limit_request_line"]
    page = _get(port, "/map/?offence=sexual-communication-with-a-child&measure=offences-recorded").body.decode()
    sitemap = _get(port, "/sitemap-areas.xml").body.decode()
    links = [part.split('"')[0] for part in page.split('href="')[1:]] + [
        part.split("<")[0] for part in sitemap.split("<loc>")[1:]
    ]
    longest = max(links, key=len)
    assert len(f"GET {longest} HTTP/1.1") < limit / 4  # room for a journalist's tracking parameters
    assert _get(port, "/trends/?" + "x=1&" * 300).status == 200  # 1,200 characters of query still served
    refused = _get(port, "/?" + "x" * (limit + 10))
    assert refused.status in (400, 414)
