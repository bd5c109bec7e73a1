"""Rates per 10,000 children: computed from a count and a population estimate, never stored.

The rules, stated on /about/ too:
- the denominator is the current ONS mid-year estimate for the same area and age band
  (children aged 0 to 17 by default; 0 to 15 on request, as the offence concerns under-16s);
- the estimate used is the one whose mid-year (30 June) is nearest the middle of the
  period, and only if it is within a year of it: 2023/24 uses mid-2023, calendar 2022
  uses mid-2022, and 2017/18 gets no rate while the oldest estimate held is mid-2022;
- only counts for a single financial or calendar year get a rate;
- where fewer than 5,000 children live in an area (City of London has under 1,000), the
  rate is suppressed: one offence more or less would swing it wildly.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from stats.models import Figure, Period, Population

PER = 10_000
SUPPRESS_BELOW = 5_000
DEFAULT_BAND = Population.AgeBand.UNDER_18
NEAR_ENOUGH = dt.timedelta(days=366)


@dataclass(frozen=True)
class Rate:
    value: Decimal | None  # per 10,000, to one decimal place; None when there is no rate
    population: Population | None
    reason: str = ""  # why there is no rate


class Denominators:
    """The current population estimates of one age band, looked up without further queries."""

    def __init__(self, estimates: list[Population], band: str = DEFAULT_BAND) -> None:
        self.band = band
        self.by_area_year = {(p.geography_id, p.year): p for p in estimates}
        self.years = sorted({p.year for p in estimates})

    @classmethod
    def load(cls, band: str = DEFAULT_BAND) -> "Denominators":
        estimates = Population.objects.current().filter(age_band=band).select_related("source", "geography")
        return cls(list(estimates), band)

    def year_for(self, period: Period) -> int | None:
        """The mid-year estimate nearest the middle of the period, if it is within a year of it."""
        middle = period.midpoint
        near = [y for y in self.years if abs(dt.date(y, 6, 30) - middle) <= NEAR_ENOUGH]
        return min(near, key=lambda y: (abs(dt.date(y, 6, 30) - middle), -y), default=None)

    def rate(self, figure: Figure) -> Rate:
        if figure.unit != "count":
            return Rate(None, None, "rates are only given for counts")
        if figure.period.kind == Period.Kind.OTHER:
            return Rate(None, None, "rates are only given for single years")
        year = self.year_for(figure.period)
        if year is None:
            return Rate(None, None, "no population estimate within a year of this period")
        population = self.by_area_year.get((figure.geography_id, year))
        if population is None:
            return Rate(None, None, f"no mid-{year} population estimate for this area")
        if population.value < SUPPRESS_BELOW:
            return Rate(None, population, f"not shown: fewer than {SUPPRESS_BELOW:,} children live here")
        value = (figure.value / population.value * PER).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return Rate(value, population)
