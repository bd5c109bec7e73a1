"""Production refuses to start without a secret key."""

import os
import subprocess
import sys


def _start_django(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")} | env
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment | {"DJANGO_SETTINGS_MODULE": "dashboard.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = _start_django(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_starts_in_production_with_a_secret_key():
    assert _start_django(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org").returncode == 0
