"""Deployment checks (`manage.py check --deploy`, run by scripts/production before it starts)."""

from django.conf import settings
from django.core.checks import Error, register
from django.db import connections


@register(deploy=True)
def production_runs_on_postgresql(app_configs, **kwargs) -> list[Error]:
    """The embedded SQLite file is for a developer's checkout: in production each server would
    keep its own copy of the data, and the tests only vouch for PostgreSQL's constraints."""
    if getattr(settings, "PRODUCTION", False) and connections["default"].vendor != "postgresql":
        return [
            Error(
                "DJANGO_ENV=production needs DATABASE_URL set to a PostgreSQL database.",
                hint="Set DATABASE_URL=postgres://user@host:5432/name (docs/deploy.md).",
                id="stats.E001",
            )
        ]
    return []
