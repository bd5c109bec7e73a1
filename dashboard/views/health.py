"""/healthz, for a load balancer: is the database answering, is the cache, which release.

Never cached, never redirected to HTTPS (settings.SECURE_REDIRECT_EXEMPT), and quick even
when the database hangs: the database watch answers for it (dashboard/database_watch.py).
The status is 503 only when the database is unavailable; without Redis the site still
serves every page, so a cache outage is reported but keeps the status 200.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from dashboard.database_watch import database_may_answer
from stats.versions import DataVersion, current_version


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    version = _data_version()
    report = {
        "status": "ok" if version else "unavailable",
        "database": "ok" if version else "unavailable",
        "cache": _cache_status(),
        "release": version.release if version else None,
        "data_version": version.tag if version else None,
    }
    response = JsonResponse(report, status=200 if version else 503)
    response["Cache-Control"] = "no-store"
    return response


def _data_version() -> DataVersion | None:
    """The data's version, or None if the database does not answer (never waiting on it)."""
    if not database_may_answer():
        return None
    try:
        return current_version(retry=database_may_answer)
    except (OperationalError, InterfaceError):
        return None


def _cache_status() -> str:
    backend = "redis" if settings.REDIS_URL else "local memory"
    probe, token = "healthz:probe", uuid.uuid4().hex
    cache.set(probe, token, timeout=10)
    return f"ok ({backend})" if cache.get(probe) == token else f"unavailable ({backend})"
