"""The app's per-connection PostgreSQL settings, kept on its database role as well.

The app asks for its statement and idle-in-transaction timeouts and its planner settings each
time it connects (the "options" of settings.DATABASES: -c statement_timeout=...). Through
pgbouncer in transaction mode those never reach PostgreSQL: PgBouncer 1.18 would refuse them,
and is told to ignore them (deploy/pgbouncer/pgbouncer.ini.template). Kept on the role with
ALTER ROLE ... SET, every connection PostgreSQL opens for the role starts with them, through
pgbouncer or not.

    python -m deploy.role_settings      # straight to PostgreSQL, as the app's own role

The release job runs it at every deploy (deploy/entrypoint release), so a changed
DATABASE_STATEMENT_TIMEOUT_MS reaches the role too.
"""

import os
import re
import sys

_SETTING = re.compile(r"-c\s+([a-z_]+)=(\S+)")


def startup_settings(options: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a libpq "options" string made only of -c name=value."""
    pairs = _SETTING.findall(options)
    if _SETTING.sub("", options).strip():
        raise ValueError(f"options holds more than -c name=value settings: {options!r}")
    return pairs


def keep_on_role(cursor, pairs: list[tuple[str, str]]) -> None:
    """ALTER ROLE CURRENT_USER SET each setting: a role may always set its own defaults."""
    for name, value in pairs:
        # A name cannot be a query parameter; startup_settings allows only [a-z_] in one.
        cursor.execute(f"ALTER ROLE CURRENT_USER SET {name} = %s", [value])


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django
    from django.db import connection

    django.setup()
    pairs = startup_settings(connection.settings_dict["OPTIONS"].get("options", ""))
    with connection.cursor() as cursor:
        keep_on_role(cursor, pairs)
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
    print(f"Kept on role {role}: " + ", ".join(f"{name}={value}" for name, value in pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
