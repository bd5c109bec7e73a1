"""Which state of the data the site is showing: the one thing a cached page is keyed on.

Figures only change by publishing a numbered release (a withdrawal is a release too), and
everything else a page shows (area names, reporting routes, key dates) only changes through
the admin, which records every change in its log. So the latest release and the latest admin
change together name the data exactly, and reading both is one indexed query.

That query is most of what a cached page costs, so its answer is shared by every server
through the cache for a second (`shared_version`). Publishing a release or changing anything
in the admin forgets it at once, on save and again on commit (`forget_version`, connected in
stats/apps.py), so the next request anywhere asks the database; the second only bounds how long
a change made some other way could go unseen.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection, transaction

from stats.models import Release


@dataclass(frozen=True)
class DataVersion:
    release: int  # 0 before anything is published
    admin_change: int  # the admin log's latest entry, 0 if none
    changed_at: dt.datetime | None  # when the later of the two happened: a page's Last-Modified

    @property
    def tag(self) -> str:
        return f"{self.release}.{self.admin_change}"


CACHE_KEY = "data-version"
CACHE_SECONDS = 1

T = TypeVar("T")


def shared_version(cached: DataVersion | None, retry: Callable[[], bool] = lambda: True) -> DataVersion:
    """The version the cache holds (`cached`, read by the caller with whatever else it needs in
    the same round trip), or, when it holds none, the database's, then shared for a second."""
    if isinstance(cached, DataVersion):
        return cached
    version = current_version(retry)
    cache.set(CACHE_KEY, version, timeout=CACHE_SECONDS)
    return version


def kept_for_version(name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s answer, worked out once for each version of the data and shared by every
    server through the cache: for a summary of all the figures that a page needs but does not
    show (which period a map opens on), whose cost would otherwise grow with the data. The
    version and the kept answer are read in one round trip; without a cache, it is computed
    every time. The version is read first, so a kept answer is never older than its tag."""
    key = f"kept:{name}"
    found = cache.get_many([CACHE_KEY, key])
    version = shared_version(found.get(CACHE_KEY)).tag
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    answer = compute()
    # Like a cached page, it names its version, so it only expires to free memory.
    cache.set(key, (version, answer), timeout=settings.PAGE_CACHE_SECONDS)
    return answer


def forget_version(**_signal) -> None:
    """The data changed: every server asks the database at its next request. Forgotten again on
    commit, since a request between this save and the commit may have shared the old version."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def current_version(retry: Callable[[], bool] = lambda: True) -> DataVersion:
    """Asked on every request, so it skips Django's per-request connection health check (a
    second round trip): a kept connection that went stale while the database restarted fails
    here once, is replaced, and the question is asked again on a new one, unless `retry()`,
    asked after the failure, says no (the database is known to be down, and a new connection
    would only wait out its timeout)."""
    try:
        return _ask()
    except (OperationalError, InterfaceError):
        connection.close()
        if not retry():
            raise
        return _ask()


def _ask() -> DataVersion:
    releases, log = Release._meta.db_table, LogEntry._meta.db_table
    connection.ensure_connection()
    # Closed by hand: SQLite's raw cursor is no context manager.
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            # Both read the last row of a primary key index, whatever the size of either table.
            cursor.execute(
                f"SELECT (SELECT number FROM {releases} ORDER BY number DESC LIMIT 1),"  # noqa: S608 - table names from the models
                f" (SELECT published_at FROM {releases} ORDER BY number DESC LIMIT 1),"
                f" (SELECT id FROM {log} ORDER BY id DESC LIMIT 1),"
                f" (SELECT action_time FROM {log} ORDER BY id DESC LIMIT 1)"
            )
            release, published_at, admin_change, admin_changed_at = cursor.fetchone()
        finally:
            cursor.close()
    times = [_as_datetime(when) for when in (published_at, admin_changed_at) if when is not None]
    return DataVersion(release or 0, admin_change or 0, max(times) if times else None)


def _as_datetime(value: dt.datetime | str) -> dt.datetime:
    # SQLite hands back text (UTC, no zone) from a bare SELECT; PostgreSQL a datetime.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
