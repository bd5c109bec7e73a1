"""pgbouncer as deployed (deploy/pgbouncer/pgbouncer.ini.template, transaction mode) in front of the
test database's PostgreSQL, and the app's connection settings kept on its role
(deploy/role_settings.py) for the connections pgbouncer opens (issue 23).

pgbouncer here is a throwaway one on a spare port, run as the postgres user (it refuses root),
stopped at the end of the module; it opens at most three connections to the server."""

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from deploy.pgbouncer_config import private_pgbouncer
from deploy.role_settings import keep_on_role, startup_settings
from tests.servers import free_port, wait_until_listening

POOL_SIZE, RESERVE_POOL_SIZE = 2, 1
APPLICATION_NAME = "test-pgbouncer-pool"


@pytest.fixture(scope="module")
def pgbouncer(django_db_setup):
    database = settings.DATABASES["default"]
    folder = Path(tempfile.mkdtemp(prefix="test-pgbouncer-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
    port = free_port()
    command = private_pgbouncer(
        folder,
        port=port,
        database_port=int(database["PORT"] or 5432),
        database_name=database["NAME"],
        users=[database["USER"]],
        pool_size=POOL_SIZE,
        reserve_pool_size=RESERVE_POOL_SIZE,
    )
    with (folder / "pgbouncer.out").open("wb") as output:
        process = subprocess.Popen([*as_postgres, *command], stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process, folder / "pgbouncer.out")
        yield port
    finally:
        os.kill(int((folder / "pgbouncer.pid").read_text()), 15)  # SIGTERM: pgbouncer stops at once
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _through(port: int, **extra):
    database = settings.DATABASES["default"]
    return psycopg2.connect(
        host="127.0.0.1", port=port, user=database["USER"], dbname=database["NAME"], connect_timeout=5, **extra
    )


def test_the_apps_startup_options_are_accepted_and_not_passed_on(pgbouncer):
    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    assert "statement_timeout" in options
    client = _through(pgbouncer, options=options)
    try:
        with client.cursor() as cursor:
            cursor.execute("SELECT current_setting('join_collapse_limit')")
            # PostgreSQL's own default (8), not the app's 4: hence the same settings on the role.
            assert cursor.fetchone()[0] == "8"
    finally:
        client.close()


def test_many_clients_share_at_most_the_pool_and_its_reserve(pgbouncer):
    clients = [_through(pgbouncer, application_name=APPLICATION_NAME) for _ in range(8)]
    try:
        most = []

        def count() -> None:
            watcher = psycopg2.connect(
                host="127.0.0.1",
                port=int(settings.DATABASES["default"]["PORT"] or 5432),
                user=settings.DATABASES["default"]["USER"],
                dbname="postgres",
            )
            with watcher.cursor() as cursor:
                for _ in range(30):
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
                        [settings.DATABASES["default"]["NAME"], APPLICATION_NAME],
                    )
                    most.append(cursor.fetchone()[0])
                    time.sleep(0.05)
            watcher.close()

        def sleep(client) -> None:
            with client.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.5)")
            client.commit()

        threads = [threading.Thread(target=sleep, args=(client,)) for client in clients]
        counter = threading.Thread(target=count)
        for thread in [*threads, counter]:
            thread.start()
        for thread in [*threads, counter]:
            thread.join()
        # Eight clients all answered, over no more server connections than pgbouncer may open.
        assert 0 < max(most) <= POOL_SIZE + RESERVE_POOL_SIZE
    finally:
        for client in clients:
            client.close()


def test_the_apps_options_are_read_as_settings():
    pairs = startup_settings(settings.DATABASES["default"]["OPTIONS"]["options"])
    assert dict(pairs) == {
        "statement_timeout": str(int(os.getenv("DATABASE_STATEMENT_TIMEOUT_MS", "15000"))),
        "idle_in_transaction_session_timeout": "60000",
        "join_collapse_limit": "4",
        "from_collapse_limit": "4",
    }


@pytest.mark.parametrize("options", ["-c statement_timeout=1 --single", "-c statement_timeout=1; DROP TABLE x"])
def test_options_that_are_not_only_settings_are_refused(options):
    with pytest.raises(ValueError, match="more than -c name=value"):
        startup_settings(options)


@pytest.mark.django_db
def test_the_settings_are_kept_on_the_role_itself():
    """On a role made for the test, inside its transaction, so nothing outlives it."""
    pairs = startup_settings(settings.DATABASES["default"]["OPTIONS"]["options"])
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE gd_deploy_role_settings_test")
        cursor.execute("SET ROLE gd_deploy_role_settings_test")
        keep_on_role(cursor, pairs)
        cursor.execute("RESET ROLE")
        cursor.execute(
            "SELECT setconfig FROM pg_db_role_setting JOIN pg_roles ON pg_roles.oid = setrole"
            " WHERE rolname = 'gd_deploy_role_settings_test' AND setdatabase = 0"
        )
        kept = cursor.fetchone()[0]
    assert sorted(kept) == sorted(f"{name}={value}" for name, value in pairs)
