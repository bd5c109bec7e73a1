import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from stats.models import Figure, Geography, Measure, Offence, Period, Source
from stats.seeding import load_seed


@pytest.fixture(scope="session", autouse=True)
def _runs_on_postgresql(django_db_blocker) -> None:
    """The suite tests the real database the product runs on; SQLite would hide constraint gaps."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.exit("The tests run against PostgreSQL: set DATABASE_URL=postgres://...", returncode=2)


@pytest.fixture
def seeded(db) -> None:
    load_seed()


@pytest.fixture
def make_figure(db):
    """Build a figure on small reference rows of its own, overriding any field."""

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
        fields = {
            "geography": geography,
            "offence": offence,
            "measure": measure,
            "period": period,
            "source": source,
            "value": Decimal("7062"),
        }
        fields.update(overrides)
        return Figure.objects.create(**fields)

    return make
