"""A management command's standard output is only its output: log lines (JSON, settings.LOGGING)
go to standard error, so `manage.py dumpdata stats > backup.json` writes JSON and
`manage.py shell -c` prints only what it prints.

The commands run in processes of their own on this session's test database, which holds the
committed seed (tests/conftest.py, django_db_setup)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from stats.models import Release

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def command_env(seeded, tmp_path) -> dict[str, str]:
    database = connection.settings_dict
    address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ENV"}
    env.update(
        DATABASE_URL=f"postgres://{database['USER']}{password}@{address}/{database['NAME']}",
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="dashboard.settings",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_dumpdata_writes_only_json_that_python_m_json_tool_reads(command_env):
    pipeline = f"{sys.executable} manage.py dumpdata stats | {sys.executable} -m json.tool"
    piped = subprocess.run(
        [shutil.which("bash"), "-o", "pipefail", "-c", pipeline],
        cwd=PROJECT,
        env=command_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr[-2000:]
    dumped = json.loads(piped.stdout)
    releases = [entry for entry in dumped if entry["model"] == "stats.release"]
    assert len(releases) == Release.objects.count() > 0
    assert any(entry["model"] == "stats.figure" for entry in dumped)


def test_shell_c_prints_only_what_it_prints_and_its_log_lines_go_to_standard_error_as_json(command_env):
    code = 'import logging; logging.getLogger("stats").warning("A line for the log"); print("only this")'
    # -v0: Django 5.2's shell otherwise starts by saying how many objects it imported.
    result = _manage(command_env, "shell", "-v0", "-c", code)
    assert result.stdout == "only this\n"
    logged = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in logged] == [
        ("WARNING", "stats", "A line for the log")
    ]
