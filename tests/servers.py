"""What the tests that start real servers (gunicorn, nginx, pgbouncer) on spare ports share."""

import os
import socket
import subprocess
import time
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, log: Path, seconds: float = 10) -> None:
    """Until the server accepts a connection; its log as the error if it ends or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text(errors="replace") if log.exists() else f"no log at {log}") from None
            time.sleep(0.05)


def production_environment(**extra: str) -> dict[str, str]:
    """The environment of a production server reading the test database, without TLS or Redis."""
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "HTTPS_ONLY": "0",  # no TLS in front of a test server
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "GUNICORN_WORKERS": "2",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest; no server has it
    env.pop("REDIS_URL", None)
    return env
