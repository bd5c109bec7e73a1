"""Rates per 10,000 children: count / population x 10,000, to one decimal place."""

import datetime as dt
from decimal import Decimal

import pytest

from stats.models import Figure, Geography, Period, Population
from stats.records import FigureRecord, Span
from stats.spans import kind_of_span


def _figure(code: str, label: str, offence: str = "") -> FigureRecord:
    """The area's one current count for the period, of the offence given or of s.15A (Scotland's own
    offence for Scotland)."""
    offence = offence or (
        "communicating-indecently-with-a-child" if code == "S92000003" else "sexual-communication-with-a-child"
    )
    (record,) = (
        Figure.objects.current()
        .filter(geography__code=code, period__label=label, offence__slug=offence, measure__slug="offences-recorded")
        .records()
    )
    return record


def _record(**lookup) -> FigureRecord:
    return Figure.objects.filter(**lookup).records()[0]


def denominators(band: str = "0-17"):
    return Population.objects.denominators(band)


@pytest.mark.parametrize(
    ("code", "label", "population_year", "children"),
    [
        ("E23000014", "2021/22", 2021, None),  # West Midlands Police, 141
        ("E23000015", "2021/22", 2021, None),  # Staffordshire, 105
        ("E23000017", "2021/22", 2021, None),  # Warwickshire, 24
        ("S92000003", "2017/18", 2017, None),  # Police Scotland, its own estimate (NRS)
        ("N92000002", "2022/23", 2022, None),  # the Police Service of Northern Ireland (NISRA)
        ("E12000005", "2023/24", 2023, None),  # the four West Midlands forces, 457
        ("E12000005", "2024/25", 2024, None),
    ],
)
def test_a_rate_is_the_count_per_10000_children(seeded, code, label, population_year, children):
    figure = _figure(code, label)
    estimate = Population.objects.current().get(geography__code=code, year=population_year, age_band="0-17")
    rate = denominators().rate(figure)
    assert (rate.population.area_code, rate.population.year, rate.population.value) == (
        code,
        estimate.year,
        estimate.value,
    )
    expected = round(float(figure.value) / estimate.value * 10_000, 1)
    assert float(rate.value) == pytest.approx(expected, abs=0.05)
    assert rate.value == rate.value.quantize(Decimal("0.1"))


def test_west_midlands_police_2021_22_in_numbers(seeded):
    rate = denominators().rate(_figure("E23000014", "2021/22"))
    assert (
        rate.population.value == Population.objects.get(geography__code="E23000014", year=2021, age_band="0-17").value
    )
    assert rate.value == (Decimal(141) / rate.population.value * 10_000).quantize(Decimal("0.1"))


@pytest.mark.parametrize(
    ("start", "end", "year"),
    [
        ("2023-04-01", "2024-03-31", 2023),  # a financial year uses the mid-year inside it
        ("2024-04-01", "2025-03-31", 2024),
        ("2021-04-01", "2022-03-31", 2021),  # mid-2021, three months before its middle, not mid-2022, nine after
        ("2022-01-01", "2022-12-31", 2022),  # a calendar year uses its own mid-year
        ("2017-04-01", "2018-03-31", 2017),
        ("2015-04-01", "2016-03-31", None),  # no estimate within a year: the oldest held is mid-2017
    ],
)
def test_the_population_year_is_the_mid_year_nearest_the_middle_of_the_period(seeded, start, end, year):
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert denominators().year_for(Span("", kind_of_span(first, last), first, last)) == year


def test_a_tiny_population_suppresses_the_rate(seeded, make_figure):
    city = Geography.objects.get(code="E23000034")
    period = Period.objects.get(label="2024/25")
    figure = make_figure(geography=city, period=period, value=3)
    rate = denominators().rate(_record(pk=figure.pk))
    assert rate.value is None
    assert rate.reason == "not shown: fewer than 5,000 children live here"
    assert rate.population.value < 1000


def test_the_0_to_15_band_gives_a_higher_rate(seeded):
    figure = _figure("E23000014", "2021/22")
    assert denominators("0-15").rate(figure).value > denominators("0-17").rate(figure).value


def test_spans_and_percentages_get_no_rate(seeded):
    span = _record(geography__code="E23000014", period__label="2017 to 2022", measure__slug="offences-recorded")
    assert denominators().rate(span).reason == "rates are only given for single years"
    share = _record(measure__slug="platform-share")
    assert denominators().rate(share).reason == "rates are only given for counts"
