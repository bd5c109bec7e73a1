"""Debian's nginx with the deploy template (deploy/nginx/dashboard.conf.template), as deployed in
front of the app servers: static files come from the disk and never wait for an app server;
when no app server answers, nginx's 502 is the app's outage page, with the quick exit and
helplines; and public pages are kept for 10 s, as the app's answers allow (issue 23).

nginx here is a throwaway instance on a spare port, with its own folder and pid file, in front of
an app server that is not there (a closed port), or in front of an app server whose answers each
test chooses (`AppServer`: a real HTTP server in a thread, which counts what nginx asks it), so
that every combination of headers the cache must obey can be tried. It is stopped at the end of
the module. tests/test_production_script.py runs the same template in front of the real app.
"""

import contextlib
import gzip
import html
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard.unavailable import URGENT_ROUTES
from deploy.nginx_config import private_nginx
from stats.seeding import shipped_routes
from tests.servers import free_port, wait_until_listening

PROJECT = Path(__file__).resolve().parent.parent
# This deployment's own settings (not the defaults), which the outage file must carry.
SITE_URL = "https://dashboard.example.org"
QUICK_EXIT_URL = "https://www.metoffice.gov.uk/"

# Nothing here reads the database, but the suite's conftest seeds the test database for every
# session, and pytest-django creates it only when a collected test asks for it: a run of this
# module alone must ask.
pytestmark = pytest.mark.django_db


def _readable_folder(prefix: str) -> Path:
    """A temporary folder nginx's workers can read: started by root, they run as nobody
    (pytest's own temporary folders are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def static_root() -> Iterator[Path]:
    """Static files collected with production settings (hashed, compressed names), then the outage
    page, as scripts/production does. Neither step may need a database: DATABASE_URL is a closed port."""
    folder = _readable_folder("test-nginx-static-")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{free_port()}/nothing-here",
        "STATIC_ROOT": str(folder),
        "SITE_URL": SITE_URL,
        "QUICK_EXIT_URL": QUICK_EXIT_URL,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("ALLOWED_HOSTS", None)  # as in an image build: the page must not need one
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJECT, env=env, check=True)
    subprocess.run([sys.executable, "-m", "dashboard.outage_page"], cwd=PROJECT, env=env, check=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _nginx_in_front_of(static_root: Path, app_server: str) -> Iterator[tuple[str, Path]]:
    """nginx with the template in front of `app_server` ("127.0.0.1:port"), its address and
    folder (its access log is access.log there, the pages it keeps under pages/)."""
    folder = _readable_folder("test-nginx-")
    port = free_port()
    command = private_nginx(folder, port=port, app_servers=[app_server], static_root=static_root)
    with (folder / "nginx.out").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process, folder / "error.log")
        yield f"http://127.0.0.1:{port}", folder
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, which removes its pid file
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _nginx_in_front_of_nothing(static_root: Path):
    return _nginx_in_front_of(static_root, f"127.0.0.1:{free_port()}")


@pytest.fixture(scope="module")
def nginx(static_root) -> Iterator[tuple[str, Path]]:
    with _nginx_in_front_of_nothing(static_root) as running:
        yield running


def _get(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own nginx
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _hashed(static_root: Path, name: str) -> str:
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


def _last_upstream(folder: Path) -> str:
    """Which app server nginx's last request went to, from its JSON access log ("" for none)."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        lines = (folder / "access.log").read_text().splitlines()
        if lines:
            return json.loads(lines[-1])["upstream"]
        time.sleep(0.02)
    raise AssertionError("nginx logged no request")


def test_a_hashed_static_file_comes_from_nginx_itself_immutable_while_no_app_server_runs(nginx, static_root):
    url, folder = nginx
    name = _hashed(static_root, "css/site.css")
    status, headers, body = _get(f"{url}/static/{name}")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body == (static_root / name).read_bytes()
    assert _last_upstream(folder) == ""  # from the disk: no app server was asked


def test_static_files_are_sent_gzipped_from_the_files_collectstatic_wrote(nginx, static_root):
    url, _ = nginx
    name = _hashed(static_root, "js/quick-exit.js")
    status, headers, body = _get(f"{url}/static/{name}", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert body == (static_root / f"{name}.gz").read_bytes()
    assert gzip.decompress(body) == (static_root / name).read_bytes()
    assert headers["Vary"] == "Accept-Encoding"


def test_a_name_without_a_hash_may_change_so_it_is_kept_only_a_minute(nginx):
    url, _ = nginx
    status, headers, _ = _get(f"{url}/static/css/site.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("path", ["/static/css/no-such-file.css", "/static/css/", "/static/"])
def test_a_missing_static_file_or_a_folder_is_a_404_from_nginx_never_the_app(nginx, path):
    url, folder = nginx
    status, _, body = _get(url + path)
    # Sent on to the app server (a closed port), it would have been a 502.
    assert status == 404 and b"Index of" not in body
    assert _last_upstream(folder) == ""


def test_a_page_with_no_app_server_answering_is_a_502_with_the_quick_exit_and_helplines(nginx):
    url, _ = nginx
    status, headers, body = _get(f"{url}/areas/E23000014/")
    page = body.decode()
    assert status == 502
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Exit this page" in page and f'href="{QUICK_EXIT_URL}"' in page
    for words in ("999", "101", "CEOP", "0800 1111", "0808 800 5000"):
        assert words in page
    # The helplines are the ones the app's outage page shows, from the seed file shipped with the code.
    routes = {route.key: route for route in shipped_routes()}
    for route in (routes[key] for key in URGENT_ROUTES):
        assert html.escape(route.name) in page
        assert f'href="{route.tel_href if route.phone else route.url}"' in page
    # No visitor's request: its absolute links name the site's own address.
    assert f'<link rel="canonical" href="{SITE_URL}/">' in page


def test_the_outage_pages_stylesheet_and_scripts_load_from_nginx(nginx):
    url, _ = nginx
    _, _, body = _get(f"{url}/")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', body.decode())
    assert len(assets) == 3  # site.css, quick-exit.js, charts.js
    for path in assets:
        status, headers, _ = _get(url + path)
        assert status == 200 and "immutable" in headers["Cache-Control"], path


def test_a_form_posted_while_no_app_server_answers_gets_the_same_page(nginx):
    url, _ = nginx
    status, headers, body = _get(f"{url}/contact/", method="POST", data=b"message=hello")
    assert status == 502 and headers["Cache-Control"] == "no-store" and b"0800 1111" in body


def test_the_outage_page_is_only_an_error_page_never_a_200(nginx):
    url, _ = nginx
    status, headers, _ = _get(f"{url}/static/unavailable.html")
    assert status == 404 and headers["Cache-Control"] == "no-store"


def test_were_the_outage_page_never_written_a_page_would_still_be_a_502_never_a_404():
    empty = _readable_folder("test-nginx-empty-")
    try:
        with _nginx_in_front_of_nothing(empty) as (url, _):
            status, headers, _ = _get(f"{url}/areas/")
        assert status == 502 and headers["Cache-Control"] == "no-store"
    finally:
        shutil.rmtree(empty, ignore_errors=True)


# The pages nginx keeps (issue 23) ----------------------------------------------------------------

# The app's own Cache-Control for public pages (settings.PAGE_CACHE_CONTROL's default).
PAGE_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400"
KEPT_SECONDS = 10  # how long nginx keeps a page: the template's proxy_cache_valid and its Age
# Long enough for a copy kept with X-Accel-Expires: 1 to expire: nginx counts whole seconds, and a
# copy expires once its last second has passed, up to 2 s after it was kept.
EXPIRES_AFTER = 2.2


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Cache-Control": PAGE_CACHE_CONTROL})
    delay: float = 0.0  # seconds before answering, to make requests overlap


class AppServer:
    """An app server whose answers each test chooses, by path (query string included): a real
    HTTP server in a thread of this process. It counts what nginx asks of it and keeps each
    request's headers; each answer's body names its path and its number, so a test can tell
    a kept copy from a fresh one."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.asked: dict[str, list[dict[str, str]]] = {}
        self._lock = threading.Lock()
        app = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # nginx keeps its connections to us open (keepalive)

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with app._lock:
                    asked = app.asked.setdefault(self.path, [])
                    asked.append({"method": self.command, **dict(self.headers.items())})
                    number = len(asked)
                answer = app.answers.get(self.path, Answer(404, {}))
                time.sleep(answer.delay)
                body = f"{self.path} answer {number}".encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, **answer) -> str:
        self.answers[path] = Answer(**answer)
        return path

    def times_asked(self, path: str) -> int:
        return len(self.asked.get(path, []))


@pytest.fixture(scope="module")
def app_server() -> Iterator[AppServer]:
    server = AppServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(scope="module")
def cached(static_root, app_server) -> Iterator[tuple[str, Path]]:
    with _nginx_in_front_of(static_root, app_server.address) as running:
        yield running


def _path(request) -> str:
    """A path of this test's own, so no test finds another's kept page."""
    return "/t/" + re.sub(r"\W+", "-", request.node.name)


def _kept_for(folder: Path, key: str) -> int:
    """How many seconds nginx will keep the page stored under `key`, read from its cache file's
    header (ngx_http_file_cache_header_t: version, then valid_sec ... date, eight bytes each)."""
    for path in (folder / "pages").rglob("*"):
        if path.is_file() and f"\nKEY: {key}\n".encode() in path.read_bytes()[:4096]:
            _, valid, _, _, _, date = struct.unpack("<6q", path.read_bytes()[:48])
            return valid - date
    raise AssertionError(f"no page kept under {key}")


def test_a_public_page_is_kept_ten_seconds_and_the_app_is_asked_once(cached, app_server, request):
    url, folder = cached
    path = app_server.answer(_path(request))
    answers = [_get(url + path) for _ in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert app_server.times_asked(path) == 1
    assert {body for _, _, body in answers} == {f"{path} answer 1".encode()}
    first, kept = answers[0][1], answers[1][1]
    assert first["X-Nginx-Cache"] == "MISS" and first["Age"] is None
    assert kept["X-Nginx-Cache"] == "HIT"
    # The app's own Cache-Control goes on to the browser and the CDN, which are told the copy
    # may be as old as nginx keeps it, so a CDN keeps it that much less than s-maxage.
    assert kept["Cache-Control"] == PAGE_CACHE_CONTROL
    assert kept["Age"] == str(KEPT_SECONDS)
    # Not the pages' s-maxage of 300 s, which nginx would otherwise take.
    assert _kept_for(folder, f"http://127.0.0.1{path} identity") == KEPT_SECONDS


def test_an_answer_carrying_x_accel_expires_0_is_never_kept_and_the_visitor_never_sees_the_header(
    cached, app_server, request
):
    url, _ = cached
    path = app_server.answer(_path(request), headers={"Cache-Control": PAGE_CACHE_CONTROL, "X-Accel-Expires": "0"})
    answers = [_get(url + path) for _ in range(2)]
    assert app_server.times_asked(path) == 2
    assert [body for _, _, body in answers] == [f"{path} answer {n}".encode() for n in (1, 2)]
    assert all(headers["X-Accel-Expires"] is None for _, headers, _ in answers)
    assert all(headers["X-Nginx-Cache"] == "MISS" for _, headers, _ in answers)


@pytest.mark.parametrize(
    "cache_control",
    [
        "private, max-age=600",
        "no-store",
        "public, max-age=60, no-cache",
        "max-age=0, no-cache, no-store, must-revalidate, private",  # the admin's (Django's never_cache)
        "public, max-age=600, s-maxage=0",
        "public, s-maxage=5",  # allowed for less than nginx would keep it
        "public, max-age=9",
        "public",  # no lifetime given
        None,  # no Cache-Control at all
    ],
)
def test_an_answer_a_shared_cache_may_not_keep_ten_seconds_is_asked_for_each_time(
    cached, app_server, request, cache_control
):
    url, _ = cached
    path = app_server.answer(_path(request), headers={"Cache-Control": cache_control} if cache_control else {})
    for _ in range(2):
        _get(url + path)
    assert app_server.times_asked(path) == 2


@pytest.mark.parametrize(
    "cache_control",
    ["public, max-age=300, s-maxage=300, stale-while-revalidate=60", "public, max-age=0, s-maxage=300", "max-age=10"],
)
def test_an_answer_a_shared_cache_may_keep_is_kept(cached, app_server, request, cache_control):
    url, _ = cached
    path = app_server.answer(_path(request), headers={"Cache-Control": cache_control})
    for _ in range(2):
        _get(url + path)
    assert app_server.times_asked(path) == 1


def test_an_answer_that_sets_a_cookie_is_never_kept(cached, app_server, request):
    url, _ = cached
    path = app_server.answer(
        _path(request), headers={"Cache-Control": PAGE_CACHE_CONTROL, "Set-Cookie": "csrftoken=abc; Path=/"}
    )
    for _ in range(2):
        _get(url + path)
    assert app_server.times_asked(path) == 2


@pytest.mark.parametrize(
    "headers", [{"Cookie": "sessionid=abc123"}, {"Cookie": "anything=1"}, {"Authorization": "Basic YTpi"}]
)
def test_a_request_with_a_cookie_or_authorization_goes_to_the_app_and_its_answer_is_never_kept(
    cached, app_server, request, headers
):
    url, _ = cached
    path = app_server.answer(_path(request))
    _get(url + path)  # kept: answer 1
    status, personal, body = _get(url + path, headers=headers)
    assert status == 200 and body == f"{path} answer 2".encode()
    assert personal["X-Nginx-Cache"] == "BYPASS"
    # The app saw the visitor's own header, and the next visitor without one gets the kept copy.
    assert {name: app_server.asked[path][1].get(name) for name in headers} == headers
    _, _, after = _get(url + path)
    assert after == f"{path} answer 1".encode()
    assert app_server.times_asked(path) == 2


def test_a_get_with_a_body_goes_to_the_app_and_its_answer_is_never_kept(cached, app_server, request):
    url, _ = cached
    path = app_server.answer(_path(request))
    for _ in range(2):
        _get(url + path, data=b"q=1", method="GET")
    assert app_server.times_asked(path) == 2
    _get(url + path)
    _get(url + path)
    assert app_server.times_asked(path) == 3  # the first GET without a body was kept


def test_a_post_is_never_answered_from_the_cache_nor_kept(cached, app_server, request):
    url, _ = cached
    path = app_server.answer(_path(request))
    _get(url + path)  # a GET, kept
    for _ in range(2):
        status, _, body = _get(url + path, method="POST", data=b"message=hello")
        assert status == 200 and body.startswith(path.encode())
    assert [asked["method"] for asked in app_server.asked[path]] == ["GET", "POST", "POST"]


def test_the_admin_is_never_kept_whatever_it_answers(cached, app_server):
    url, _ = cached
    path = app_server.answer("/admin/login/?next=/admin/")
    for _ in range(2):
        status, headers, _ = _get(url + path)
        assert status == 200 and headers["X-Nginx-Cache"] is None
    assert app_server.times_asked(path) == 2


def test_pages_are_kept_apart_by_encoding_and_the_app_is_told_only_gzip_or_nothing(cached, app_server, request):
    url, _ = cached
    path = app_server.answer(_path(request))
    browsers = ["gzip, deflate, br, zstd", "gzip", "br", None]
    bodies = [_get(url + path, headers={"Accept-Encoding": value} if value else {})[2] for value in browsers]
    # Two entries, as in the app's page cache: one for gzip, one for everything else.
    assert app_server.times_asked(path) == 2
    assert bodies == [f"{path} answer {n}".encode() for n in (1, 1, 2, 2)]
    assert [asked.get("Accept-Encoding") for asked in app_server.asked[path]] == ["gzip", None]


def test_pages_are_kept_apart_by_host_and_by_query(cached, app_server, request):
    url, _ = cached
    path = _path(request)
    for address in (f"{path}?show=count", f"{path}?show=rate"):
        app_server.answer(address)
        for host in ("dashboard.example.org", "other.example.org", "dashboard.example.org"):
            _get(url + address, headers={"Host": host})
        assert app_server.times_asked(address) == 2
        assert [asked["Host"] for asked in app_server.asked[address]] == ["dashboard.example.org", "other.example.org"]


def _at_once(url: str, count: int) -> list[tuple[int, str, bytes]]:
    """`count` requests for `url` at the same moment: status, X-Nginx-Cache and body of each."""
    start = threading.Barrier(count)

    def one(_):
        start.wait()
        status, headers, body = _get(url)
        return status, headers["X-Nginx-Cache"], body

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_a_spike_on_a_page_not_kept_yet_makes_one_request_to_the_app(cached, app_server, request):
    url, _ = cached
    path = app_server.answer(_path(request), delay=0.5)
    answers = _at_once(url + path, 20)
    assert app_server.times_asked(path) == 1
    assert {(status, body) for status, _, body in answers} == {(200, f"{path} answer 1".encode())}
    assert sorted(cache for _, cache, _ in answers) == ["HIT"] * 19 + ["MISS"]


def test_an_expired_page_is_refreshed_by_one_request_while_the_others_get_the_copy_being_replaced(
    cached, app_server, request
):
    url, _ = cached
    # X-Accel-Expires, which nginx obeys before anything else, keeps this one a second only.
    path = app_server.answer(_path(request), headers={"Cache-Control": PAGE_CACHE_CONTROL, "X-Accel-Expires": "1"})
    _get(url + path)
    time.sleep(EXPIRES_AFTER)
    app_server.answer(path, headers={"Cache-Control": PAGE_CACHE_CONTROL, "X-Accel-Expires": "1"}, delay=0.5)
    answers = _at_once(url + path, 10)
    assert app_server.times_asked(path) == 2
    # The request that found it expired waited for the new page: none older reached it.
    assert [body for _, cache, body in answers if cache == "EXPIRED"] == [f"{path} answer 2".encode()]
    assert {body for _, cache, body in answers if cache != "EXPIRED"} == {f"{path} answer 1".encode()}
    assert {cache for _, cache, _ in answers} == {"EXPIRED", "UPDATING"}


def test_when_the_app_fails_with_a_500_the_page_kept_is_sent_but_its_503_is_passed_on(cached, app_server, request):
    url, _ = cached
    path = _path(request)
    for failure, expected in ((500, (200, "STALE")), (503, (503, "EXPIRED"))):
        address = app_server.answer(
            f"{path}?failure={failure}", headers={"Cache-Control": PAGE_CACHE_CONTROL, "X-Accel-Expires": "1"}
        )
        _get(url + address)
        time.sleep(EXPIRES_AFTER)
        app_server.answer(address, status=failure, headers={})
        status, headers, body = _get(url + address)
        assert (status, headers["X-Nginx-Cache"]) == expected
        assert body == (f"{address} answer 1" if status == 200 else f"{address} answer 2").encode()


def test_a_page_from_the_cache_carries_this_visitors_own_request_id(cached, app_server, request):
    url, folder = cached
    path = app_server.answer(_path(request), headers={"Cache-Control": PAGE_CACHE_CONTROL, "X-Request-ID": "app-1"})
    _get(url + path)
    _, headers, _ = _get(url + path)
    assert headers["X-Nginx-Cache"] == "HIT"
    logged = json.loads((folder / "access.log").read_text().splitlines()[-1])
    assert headers["X-Request-ID"] == logged["request_id"] and logged["cache"] == "HIT"
    assert logged["request_id"] != app_server.asked[path][0]["X-Request-ID"]


def test_the_configuration_for_scripts_production_refuses_a_gunicorn_not_on_127_0_0_1(tmp_path):
    folder = tmp_path / "nginx"
    done = subprocess.run(
        [sys.executable, "-m", "deploy.nginx_config", str(folder), "--listen", "0.0.0.0:8000",
         "--app-server", "10.0.0.5:8001"],
        cwd=PROJECT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--app-server 10.0.0.5:8001: gunicorn listens on 127.0.0.1 only, behind this nginx" in done.stderr
    assert not folder.exists()  # nothing written
