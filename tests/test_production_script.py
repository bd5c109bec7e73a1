"""scripts/production as documented: nginx in front of gunicorn, and gunicorn reachable only by it
(issue 23). It serves the test database's seed data; nginx keeps public pages for 10 s and never
the admin or anyone signed in."""

import http.client
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

from stats.models import Release
from stats.seeding import load_seed
from tests.servers import free_port, production_environment

PROJECT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT / "scripts" / "production"

# The server reads the test database's committed seed; pytest-django creates that database only
# when a collected test asks for it, so a run of this module alone must ask.
pytestmark = pytest.mark.django_db


def _environment(**extra: str) -> dict[str, str]:
    env = production_environment(LOG_LEVEL="WARNING", **extra)
    env.pop("TRUSTED_PROXIES", None)  # scripts/production sets its own
    return env


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker):
    """scripts/production on spare ports, with its output in a file; (nginx port, gunicorn port, process)."""
    with django_db_blocker.unblock():
        if not Release.objects.exists():
            load_seed()
    # Readable by nginx's workers, which run as nobody when it is started by root.
    static_root = Path(tempfile.mkdtemp(prefix="test-production-static-"))
    static_root.chmod(0o755)
    port, app_port = free_port(), free_port()
    env = _environment(STATIC_ROOT=str(static_root), PORT=str(port), BIND_ADDRESS="127.0.0.1", APP_PORT=str(app_port))
    output = (static_root / "production.log").open("wb")
    process = subprocess.Popen([SCRIPT], cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180  # collectstatic, check --deploy and migrate come first
        while _status(port, "/healthz") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((static_root / "production.log").read_text(errors="replace"))
            time.sleep(0.5)
        yield port, app_port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        output.close()
        shutil.rmtree(static_root, ignore_errors=True)


def _request(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def _status(port: int, path: str) -> int | None:
    try:
        return _request(port, path).status
    except OSError:
        return None


def _listening(port: int) -> set[str]:
    """The addresses something listens on at this TCP port, read from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            ipv4 = len(address) == 8
            found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if ipv4 else address)
    return found


def test_extra_bind_arguments_are_refused_before_anything_is_done():
    for arguments in (["--bind", "0.0.0.0:8000"], ["-b0.0.0.0:8000"], ["--bind=0.0.0.0:8000"]):
        done = subprocess.run([SCRIPT, *arguments], cwd=PROJECT, env=_environment(), capture_output=True, text=True)
        assert done.returncode == 2
        assert "gunicorn listens on 127.0.0.1:$APP_PORT only, behind nginx" in done.stderr
        assert done.stdout == ""  # nothing installed, collected or migrated


def test_gunicorn_listens_only_on_127_0_0_1_and_nginx_answers_visitors(production):
    port, app_port, _ = production
    assert _listening(app_port) == {"127.0.0.1"}
    assert _listening(port) == {"127.0.0.1"}  # BIND_ADDRESS, as the test asked
    page = _request(port, "/about/")
    assert page.status == 200 and page.getheader("Server") == "nginx"


def test_a_public_page_is_kept_by_nginx_and_the_admin_never(production):
    port, _, _ = production
    first = _request(port, "/report/")
    kept = _request(port, "/report/")
    assert first.getheader("X-Nginx-Cache") == "MISS"
    assert kept.getheader("X-Nginx-Cache") == "HIT" and kept.getheader("Age") == "10"
    assert kept.body == first.body and b"999" in kept.body
    login = [_request(port, f"/{settings.ADMIN_PATH}login/") for _ in range(2)]
    assert all(answer.status == 200 and answer.getheader("X-Nginx-Cache") is None for answer in login)
    assert all("csrftoken" in (answer.getheader("Set-Cookie") or "") for answer in login)


def test_a_visitor_with_a_session_cookie_is_answered_by_the_app_itself(production):
    port, _, _ = production
    _request(port, "/areas/")
    signed_in = _request(port, "/areas/", {"Cookie": "sessionid=not-a-real-session"})
    assert signed_in.status == 200 and signed_in.getheader("X-Nginx-Cache") == "BYPASS"


def test_health_is_never_kept(production):
    port, _, _ = production
    answers = [_request(port, "/healthz") for _ in range(2)]
    assert [answer.getheader("X-Nginx-Cache") for answer in answers] == ["MISS", "MISS"]


def test_sigterm_stops_nginx_and_gunicorn_together(production):
    port, app_port, process = production
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert _listening(port) == set() and _listening(app_port) == set()
