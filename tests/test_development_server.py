"""The README's first command serves the dashboard on the embedded SQLite file. The rest of the
suite runs on PostgreSQL, so this checks, in a process of its own, that every public page
answers on SQLite too: the raw SQL written for PostgreSQL has broken it twice."""

import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.pages import PUBLIC_PAGES

PROJECT = Path(__file__).resolve().parent.parent
EXTRA = [
    "/healthz",
    "/sources/?source=1",
    "/data/figures.csv",
    "/api/v1/figures",
    "/figures/1/",
    "/embed/?card=national",
    # Searches: a postcode, a split district, a town, a misspelling, a miss, and hostile text.
    "/areas/?q=B15+2TT",
    "/areas/?q=SY10",
    "/areas/?q=Newport",
    "/areas/?q=Bettws-y-Coed",
    "/areas/?q=ZZ99+9ZZ",
    "/areas/?q=%F0%9F%98%80%00%27+OR+1%3D1",
    "/areas/?q=" + "B15" * 3000,
]
PLOTLY = "plotly.js-basic-dist-min"
# What this test session set that a developer's fresh shell would not.
NOT_FROM_THIS_SESSION = ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SITE_URL", "PORT", "MEDIA_ROOT", "DEBUG")
SEARCHES_THAT_REDIRECT = {"/areas/?q=B15+2TT", "/areas/?q=Bettws-y-Coed"}
SCRIPT = """
import json, sys, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
print(json.dumps({path: client.get(path).status_code for path in json.loads(sys.argv[1])}))
"""


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_every_public_page_answers_on_the_embedded_sqlite_database(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DEBUG="1",
    )
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    _run(env, "manage.py", "seed")
    output = _run(env, "-c", SCRIPT, json.dumps(PUBLIC_PAGES + EXTRA))
    statuses = json.loads(output.strip().splitlines()[-1])
    expected = {path: 302 if path in SEARCHES_THAT_REDIRECT else 200 for path in PUBLIC_PAGES + EXTRA}
    assert statuses == expected


def _fresh_copy(folder: Path) -> Path:
    """The project as a fresh clone has it (tracked files and new ones git does not ignore), with
    the installed Python packages and Plotly.js lent from this checkout, so nothing is fetched."""
    listed = subprocess.run(
        [shutil.which("git"), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    )
    copy = folder / "dashboard"
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = PROJECT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(PROJECT / ".venv")
    # A node_modules of the copy's own (scripts/bootstrap must never run npm ci on this
    # checkout's), holding only what the site serves, marked as installed for its lock file.
    (copy / "node_modules").mkdir()
    (copy / "node_modules" / PLOTLY).symlink_to(PROJECT / "node_modules" / PLOTLY)
    lock = hashlib.sha256((copy / "package-lock.json").read_bytes()).hexdigest()[:16]
    (copy / "node_modules" / ".installed-runtime").write_text(lock + "\n")
    return copy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, process: subprocess.Popen, log: Path) -> tuple[int, str]:
    """The answer once the server listens; migrate and seed come first (the deadline is generous)."""
    deadline = time.monotonic() + 300
    while True:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        except OSError:
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        finally:
            connection.close()


def _wait_for_line(log: Path, text: str) -> None:
    deadline = time.monotonic() + 30
    while text not in log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.2)


def test_scripts_serve_in_a_fresh_copy_serves_on_the_port_it_is_given_and_says_how_to_start_again(tmp_path):
    copy = _fresh_copy(tmp_path)
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in NOT_FROM_THIS_SESSION}
    stdout, stderr = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [str(copy / "scripts" / "serve"), str(port)],
            cwd=copy,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,  # runserver's autoreloader runs the server in a child: stop both
        )
        try:
            status, page = _get(port, "/about/", process, stderr)
            _wait_for_line(stderr, '"GET /about/ HTTP/1.1"')  # written just after the answer is sent
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    assert status == 200
    # SITE_URL followed the port: every absolute link names the address the site is served on.
    assert f'<link rel="canonical" href="http://127.0.0.1:{port}/about/">' in page
    said = stdout.read_text()
    assert f"The dashboard: http://127.0.0.1:{port}/" in said
    assert f"rm -rf db.sqlite3 'media' && scripts/serve {port}" in said
    assert (copy / "db.sqlite3").exists()
    # Each line once: the request, plain, and Django's autoreloader, as JSON (settings.LOGGING).
    printed = (said + stderr.read_text()).splitlines()
    assert len([line for line in printed if '"GET /about/ HTTP/1.1" 200' in line]) == 1
    assert len([line for line in printed if "Watching for file changes" in line]) == 1
    assert not any(line.startswith("{") for line in said.splitlines())
