import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from dashboard.database_watch import stop_database_watch
from dashboard.page_cache import recent as recent_pages
from stats.models import Figure, Geography, Measure, Offence, Period, Release, Source
from stats.seeding import SEED_DIR, load_seed

# How many releases the shipped seed publishes (one per line of releases.csv): the number of the
# first release a test publishes is one more.
SEED_RELEASES = len((SEED_DIR / "releases.csv").read_text(encoding="utf-8").strip().splitlines()) - 1


@pytest.fixture(scope="session", autouse=True)
def _runs_on_postgresql(django_db_blocker) -> None:
    """The suite tests the real database the product runs on; SQLite would hide constraint gaps."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.exit("The tests run against PostgreSQL: set DATABASE_URL=postgres://...", returncode=2)


@pytest.fixture(scope="session", autouse=True)
def _files_in_a_temporary_folder(tmp_path_factory) -> None:
    """Release files and uploads written by the tests go to a folder of their own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def pytest_collection_modifyitems(config, items) -> None:
    """Browser tests are marked `browser` (run the fast part alone with -m "not browser") and run last:
    they serve pages from the committed seed, which those that change the data empty after them."""
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
    # Browser tests that change the data come last of all, so the seed is loaded again rarely.
    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, "site_to_change" in item.fixturenames))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _files_in_a_temporary_folder) -> None:
    """The real seed data, loaded once for the whole session; each test runs in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        load_seed()


@pytest.fixture(scope="session", autouse=True)
def _database_watch_stopped_at_the_end(django_db_setup) -> None:
    """The database watch keeps a connection of its own, which would stop the test database being dropped."""
    yield
    stop_database_watch()


@pytest.fixture(scope="session", autouse=True)
def _pages_uncached_unless_asked() -> None:
    """Tests of pages test the views: the page cache is tested on its own (tests/test_page_cache.py)
    and by the browser tests, which serve pages through it as production does."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: data rolled back after a test could otherwise
    come back as a cached page under a release number a later test reuses. The same goes for
    the pages this process keeps in its own memory."""
    cache.clear()
    recent_pages.clear()


@pytest.fixture
def page_cache(settings) -> None:
    settings.PAGE_CACHE = True


@pytest.fixture
def machine_redis(settings):
    """The machine's Redis as the cache, under a key prefix of this test's own, removed afterwards.
    Yields the prefix, for a test that looks at the keys themselves."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "dashboard.cache_backend.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    try:
        yield prefix
    finally:
        redis = cache._cache.get_client()
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)


@pytest.fixture
def seeded(db) -> None:
    if not Release.objects.filter(kind=Release.Kind.SEED).exists():
        load_seed()  # a browser test emptied the database: seed again, inside this test's transaction


@pytest.fixture
def empty_db(db) -> None:
    """No data at all, for tests of loading and of the database's own rules: the session's seed is
    removed inside this test's transaction, and comes back when it rolls back."""
    tables = [model._meta.db_table for model in apps.get_app_config("stats").get_models()]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


@pytest.fixture
def make_figure(db):
    """Build a figure on small reference rows of its own, overriding any field.

    It is written straight to the table, as only tests of the database's own rules may:
    everything else publishes through stats.releases.
    """

    def make(**overrides) -> Figure:
        geography, _ = Geography.objects.get_or_create(
            code="K02000001", defaults={"name": "United Kingdom", "level": "country"}
        )
        offence, _ = Offence.objects.get_or_create(
            slug="sexual-communication-with-a-child",
            defaults={"name": "Sexual communication with a child", "description": "-", "legal_basis": "-"},
        )
        measure, _ = Measure.objects.get_or_create(
            slug="offences-recorded",
            defaults={"name": "Offences recorded", "unit": "count", "description": "-"},
        )
        period, _ = Period.objects.get_or_create(
            start=dt.date(2023, 4, 1),
            end=dt.date(2024, 3, 31),
            defaults={"label": "2023/24", "kind": "financial_year"},
        )
        source, _ = Source.objects.get_or_create(
            publisher="NSPCC",
            title="A release",
            published=dt.date(2024, 11, 1),
            defaults={"published_precision": "day"},
        )
        release, _ = Release.objects.get_or_create(
            number=1, defaults={"published_at": timezone.now(), "kind": "baseline", "summary": "Test data"}
        )
        fields = {
            "release": release,
            "status": "current",
            "geography": geography,
            "offence": offence,
            "measure": measure,
            "period": period,
            "source": source,
            "value": Decimal("7062"),
        }
        fields.update(overrides)
        figure = Figure.objects.create(**fields)
        # Written outside a release, it leaves the data's version as it was: forget what was
        # worked out from the figures before it (kept answers, cached pages), as a release would.
        cache.clear()
        recent_pages.clear()
        return figure

    return make


@pytest.fixture
def make_staff(db):
    """A staff user holding exactly the given permissions (codenames)."""
    from django.contrib.auth.models import Permission, User

    def make(*permissions: str, username: str = "staff") -> User:
        user = User.objects.create_user(username, password="a-long-password-1", is_staff=True)
        user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
        return user

    return make
