"""The README's first command serves the dashboard on the embedded SQLite file. The rest of the
suite runs on PostgreSQL, so this checks, in a process of its own, that every public page
answers on SQLite too: the raw SQL written for PostgreSQL has broken it twice."""

import json
import os
import subprocess
import sys
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
