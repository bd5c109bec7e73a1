"""Debian's nginx with the deploy template (deploy/nginx/dashboard.conf.template), as deployed in
front of the app servers: static files come from the disk and never wait for an app server, and
when no app server answers, nginx's 502 is the app's outage page, with the quick exit and helplines.

nginx here is a throwaway instance on a spare port, with its own folder and pid file, in front of
an app server that is not there (a closed port). It is stopped at the end of the module.
"""

import contextlib
import gzip
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.unavailable import URGENT_ROUTES
from deploy.nginx_config import private_nginx
from stats.seeding import shipped_routes

PROJECT = Path(__file__).resolve().parent.parent
# This deployment's own settings (not the defaults), which the outage file must carry.
SITE_URL = "https://dashboard.example.org"
QUICK_EXIT_URL = "https://www.metoffice.gov.uk/"

# Nothing here reads the database, but the suite's conftest seeds the test database for every
# session, and pytest-django creates it only when a collected test asks for it: a run of this
# module alone must ask.
pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{_free_port()}/nothing-here",
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
def _nginx_in_front_of_nothing(static_root: Path) -> Iterator[tuple[str, Path]]:
    """nginx with the template, its address and folder (its access log is access.log there)."""
    folder = _readable_folder("test-nginx-")
    port = _free_port()
    no_app_server = f"127.0.0.1:{_free_port()}"
    command = private_nginx(folder, port=port, app_servers=[no_app_server], static_root=static_root)
    with (folder / "nginx.out").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "error.log").read_text(errors="replace")) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", folder
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, which removes its pid file
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


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
