"""The database itself refuses figures and periods that cannot be true."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from stats.models import Figure, Measure, Period, ReportingRoute, Source


@pytest.fixture(autouse=True)
def _no_seed_data(empty_db) -> None:
    """These tests build their own small rows."""


def _rejected(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_it_rejects_a_percent_over_100(make_figure):
    share = Measure.objects.create(slug="victims-girls-share", name="Girls", unit="percent", description="-")
    make_figure(measure=share, value=Decimal("100"))
    assert _rejected(lambda: make_figure(measure=share, value=Decimal("100.5"), note="other"))


def test_it_rejects_a_negative_count(make_figure):
    assert _rejected(lambda: make_figure(value=Decimal("-1")))


def test_it_rejects_a_fractional_count(make_figure):
    assert _rejected(lambda: make_figure(value=Decimal("12.5")))


def test_it_rejects_a_duplicate_figure_from_the_same_source(make_figure):
    make_figure(value=Decimal("7062"))
    assert _rejected(lambda: make_figure(value=Decimal("7063")))


def test_it_keeps_the_same_series_from_another_source(make_figure):
    make_figure(value=Decimal("7062"), status="revision")
    later = Source.objects.create(
        publisher="NSPCC", title="Restated", published=dt.date(2025, 11, 13), published_precision="day"
    )
    make_figure(value=Decimal("7100"), source=later)
    assert Figure.objects.count() == 2


def test_it_rejects_a_second_current_figure_for_a_series(make_figure):
    make_figure(value=Decimal("7062"))
    later = Source.objects.create(
        publisher="NSPCC", title="Restated", published=dt.date(2025, 11, 13), published_precision="day"
    )
    assert _rejected(lambda: make_figure(value=Decimal("7100"), source=later))
    make_figure(value=Decimal("7100"), source=later, status="revision")


def test_a_withdrawn_row_does_not_count_as_the_sources_value(make_figure):
    make_figure(value=Decimal("7062"), status="withdrawn")
    make_figure(value=Decimal("7063"))
    assert Figure.objects.count() == 2


def test_it_rejects_a_unit_that_differs_from_the_measure(make_figure):
    figure = make_figure()
    assert _rejected(lambda: Figure.objects.filter(pk=figure.pk).update(unit="percent"))


def test_it_rejects_a_period_that_ends_before_it_starts(empty_db):
    assert _rejected(
        lambda: Period.objects.create(
            label="Backwards", kind="other", start=dt.date(2020, 1, 2), end=dt.date(2020, 1, 1)
        )
    )


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("financial_year", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("financial_year", dt.date(2017, 4, 1), dt.date(2019, 3, 31)),
        ("calendar_year", dt.date(2017, 4, 1), dt.date(2018, 3, 31)),
    ],
)
def test_it_rejects_a_period_whose_dates_contradict_its_kind(empty_db, kind, start, end):
    assert _rejected(lambda: Period.objects.create(label="Mislabelled", kind=kind, start=start, end=end))


def test_it_rejects_an_invented_day_on_a_month_precise_source(empty_db):
    assert _rejected(
        lambda: Source.objects.create(
            publisher="X", title="Y", published=dt.date(2024, 11, 13), published_precision="month"
        )
    )


def test_it_rejects_a_reporting_route_with_neither_phone_nor_address(empty_db):
    assert _rejected(
        lambda: ReportingRoute.objects.create(name="Nowhere", who_for="Anyone", when_to_use="Never", phone="", url="")
    )
