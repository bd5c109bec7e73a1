"""deploy/pgbouncer/pgbouncer.ini.template filled in, and a pgbouncer of our own to run it.

In a container deploy/pgbouncer/entrypoint fills the template with envsubst (compose.yaml's
pgbouncer service). bench/services.py's pgbouncer() fills the same template here, so that
bench/scale_out runs it as deployed.
"""

from pathlib import Path

from deploy.nginx_config import fill_template

TEMPLATE = Path(__file__).resolve().parent / "pgbouncer" / "pgbouncer.ini.template"


def private_pgbouncer(
    folder: Path,
    *,
    port: int,
    database_port: int,
    database_name: str,
    users: list[str],
    pool_size: int,
    reserve_pool_size: int,
    max_client_conn: int = 500,
) -> list[str]:
    """Write a pgbouncer configuration into `folder` that listens on 127.0.0.1:`port` in front of
    the PostgreSQL on 127.0.0.1:`database_port`, trusting `users` (the throwaway server trusts
    them too; the first is its admin), and return the command that runs it in the foreground."""
    auth_file = folder / "userlist.txt"
    auth_file.write_text("".join(f'"{user}" ""\n' for user in users), encoding="utf-8")
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        fill_template(
            {
                "LISTEN_ADDRESS": "127.0.0.1",
                "LISTEN_PORT": str(port),
                "DATABASE_HOST": "127.0.0.1",
                "DATABASE_PORT": str(database_port),
                "DATABASE_NAME": database_name,
                "AUTH_TYPE": "trust",
                "AUTH_FILE": str(auth_file),
                "ADMIN_USERS": users[0],
                "POOL_SIZE": str(pool_size),
                "RESERVE_POOL_SIZE": str(reserve_pool_size),
                "MAX_DB_CONNECTIONS": str(pool_size + reserve_pool_size),
                "MAX_CLIENT_CONN": str(max_client_conn),
                "RUN_FOLDER": str(folder),
            },
            template=TEMPLATE,
        ),
        encoding="utf-8",
    )
    return ["pgbouncer", str(ini)]
