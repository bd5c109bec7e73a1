"""What the public site refuses before any view runs, the admin at an address of its own,
and the production settings passing Django's deployment checks."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import clear_url_caches, reverse

import dashboard.urls

PROJECT = Path(__file__).resolve().parent.parent
PUBLIC = ["/", "/areas/E23000014/", "/data/figures.csv", "/figures/1/", "/whats-new/feed.atom", "/healthz"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_public_pages_answer_get_and_head_only(seeded, client, method):
    for path in PUBLIC:
        response = client.generic(method, path)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD"
    assert client.head("/").status_code == 200


def test_the_api_answers_its_preflight_and_the_contact_form_its_post(seeded, client):
    assert client.options("/api/v1/figures").status_code == 204
    refused = client.post("/api/v1/figures")
    assert refused.status_code == 405 and "GET" in refused["Allow"]
    assert client.generic("POST", "/api/v1/figures", b"x", CONTENT_LENGTH="100000000").status_code == 413
    assert client.post("/contact/", {"topic": "other", "message": "Hello"}).status_code in (200, 303)


def test_a_large_body_is_refused_unread_everywhere_but_the_admin(seeded, client):
    # The declared length is refused before anything reads the body.
    huge = client.generic(
        "POST", "/contact/", b"message=x", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="100000000"
    )
    assert huge.status_code == 413
    # The contact form's largest honest message still fits: 5,000 four-byte characters.
    largest = client.post("/contact/", {"topic": "other", "message": "😀" * 5000})
    assert largest.status_code in (200, 303)
    login = client.generic(
        "POST", reverse("admin:login"), b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH="150000000"
    )
    assert login.status_code != 413  # the admin's uploads may be up to UPLOAD_MAX_BYTES


@pytest.fixture
def admin_elsewhere(settings):
    """The URLconf as it is built when ADMIN_PATH=staff-entrance/ is in the environment."""
    settings.ADMIN_PATH = "staff-entrance/"
    importlib.reload(dashboard.urls)
    clear_url_caches()
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(dashboard.urls)
    clear_url_caches()


def test_the_admin_lives_where_the_environment_says_and_is_still_throttled(seeded, admin_elsewhere):
    client = Client()
    assert reverse("admin:login") == "/staff-entrance/login/"
    assert client.get("/admin/login/").status_code == 404
    assert client.get("/staff-entrance/login/").status_code == 200
    assert client.post("/staff-entrance/login/", {}).status_code == 200  # a form post, not a 405
    User.objects.create_superuser("entrance", password="the-right-password-1")
    for _ in range(5):
        client.post("/staff-entrance/login/", {"username": "entrance", "password": "wrong"})
    locked = client.post("/staff-entrance/login/", {"username": "entrance", "password": "the-right-password-1"})
    assert locked.status_code == 429
    assert "staff-entrance" not in client.get("/robots.txt").content.decode()


def _production(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="a-realistic-secret-key-of-fifty-characters-or-more-0123456789",
        ALLOWED_HOSTS="grooming-dashboard.example.org",
        SITE_URL="https://grooming-dashboard.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ADMIN_PATH="staff-entrance/",
    )
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest; no server has it
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_the_deployment_checks_at_warning_level():
    result = _manage(_production(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # Without TLS in front the same checks name what is missing, so the check is not a formality.
    bare = _manage(_production(HTTPS_ONLY="0"), "check", "--deploy", "--fail-level", "WARNING")
    assert bare.returncode != 0 and "W004" in bare.stderr and "W008" in bare.stderr


def test_production_cookies_are_secure_and_a_missing_secret_is_refused():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.ADMIN_PATH)"
    )
    result = _manage(_production(), "shell", "-c", script)
    assert result.stdout.splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "staff-entrance/",
    ]
    refused = _manage({**_production(), "SECRET_KEY": ""}, "check")
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr


def test_production_on_the_embedded_sqlite_file_fails_the_deployment_checks():
    env = _production()
    env.pop("DATABASE_URL", None)
    result = _manage(env, "check", "--deploy", "--fail-level", "ERROR")
    assert result.returncode != 0 and "stats.E001" in result.stderr


def test_behind_a_trusted_proxy_each_visitor_is_counted_by_their_own_address(seeded, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_WINDOW = 600
    client = Client(REMOTE_ADDR="127.0.0.1")
    statuses = {
        visitor: [
            client.get("/api/v1/offences", HTTP_X_FORWARDED_FOR=f"{visitor}, 127.0.0.1").status_code for _ in range(3)
        ]
        for visitor in ("203.0.113.5", "203.0.113.6")
    }
    assert statuses == {"203.0.113.5": [200, 200, 429], "203.0.113.6": [200, 200, 429]}


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(seeded, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_WINDOW = 600
    client = Client(REMOTE_ADDR="198.51.100.9")
    answers = [client.get("/api/v1/offences", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]  # one visitor, however many addresses they claim
