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

Plain data in, plain data out: `Population.objects.denominators(band)` loads the estimates.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from stats.age_bands import DEFAULT_BAND
from stats.records import FigureRecord, Span

PER = 10_000
SUPPRESS_BELOW = 5_000
NEAR_ENOUGH = dt.timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Estimate:
    """One ONS mid-year population estimate, as a rate's denominator."""

    area_code: str
    year: int
    band: str
    value: int
    source: str  # the publication, as cited in a download


@dataclass(frozen=True, slots=True)
class Rate:
    value: Decimal | None  # per 10,000, to one decimal place; None when there is no rate
    population: Estimate | None
    reason: str = ""  # why there is no rate

    def fields(self) -> dict[str, object]:
        """The rate and its denominator as download columns, beside the figure's own."""
        population = self.population
        return {
            "rate_per_10000_children": self.value if self.value is not None else "",
            "rate_age_band": population.band if population else "",
            "rate_population": population.value if population else "",
            "rate_population_year": f"mid-{population.year}" if population else "",
            "rate_population_source": population.source if population else "",
            "rate_note": self.reason,
        }


class Denominators:
    """The current population estimates of one age band, looked up without further queries."""

    def __init__(self, estimates: list[Estimate], band: str = DEFAULT_BAND) -> None:
        self.band = band
        self.by_area_year = {(e.area_code, e.year): e for e in estimates}
        self.years = sorted({e.year for e in estimates})

    def year_for(self, period: Span) -> int | None:
        """The mid-year estimate nearest the middle of the period, if it is within a year of it."""
        middle = period.midpoint
        near = [y for y in self.years if abs(dt.date(y, 6, 30) - middle) <= NEAR_ENOUGH]
        return min(near, key=lambda y: (abs(dt.date(y, 6, 30) - middle), -y), default=None)

    def rate(self, figure: FigureRecord) -> Rate:
        if figure.unit != "count":
            return Rate(None, None, "rates are only given for counts")
        if not figure.period.is_single_year:
            return Rate(None, None, "rates are only given for single years")
        year = self.year_for(figure.period)
        if year is None:
            return Rate(None, None, "no population estimate within a year of this period")
        population = self.by_area_year.get((figure.area_code, year))
        if population is None:
            return Rate(None, None, f"no mid-{year} population estimate for this area")
        if not _large_enough(population):
            return Rate(None, population, f"not shown: fewer than {SUPPRESS_BELOW:,} children live here")
        value = (figure.value / population.value * PER).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return Rate(value, population)

    def areas_with_rate(self, period: Span) -> set[str]:
        """The areas whose count for this period `rate` would give a rate: the same rules, for
        every area at once, so a page can count rates in SQL without reading the counts."""
        year = self.year_for(period) if period.is_single_year else None
        if year is None:
            return set()
        return {code for (code, y), estimate in self.by_area_year.items() if y == year and _large_enough(estimate)}


def _large_enough(population: Estimate) -> bool:
    return population.value >= SUPPRESS_BELOW


@dataclass(frozen=True, slots=True)
class Rebasing:
    """When a statistics office replaced its first-published estimates with ones based on a
    later census: rates on either side of `last_before` use estimates on different bases."""

    where: str
    office: str
    census: str
    last_before: int  # the last year whose estimate we hold as first published, before the census base
    when: str = ""  # only where the notes say when


# From the estimates' own notes (stats/seed/population.csv). England and Wales's mid-2012 to
# mid-2020 estimates were rebased on Census 2021 in November 2023: its children "drop" by about
# 345,000 between mid-2020 and mid-2021 for that reason, not a real fall. NISRA did the same for
# Northern Ireland; NRS rebased Scotland's mid-2011 to mid-2021 on Census 2022. The UK's are the
# nations' sums, so they follow England and Wales, where most of its children live. Longest
# code prefix first.
REBASINGS = {
    "S": Rebasing("Scotland", "NRS", "Census 2022", 2021),
    "N": Rebasing("Northern Ireland", "NISRA", "Census 2021", 2020),
    "K02": Rebasing("the UK", "ONS", "Census 2021", 2020),
    "": Rebasing("England and Wales", "ONS", "Census 2021", 2020, "November 2023"),
}


def rebasing_of(area_code: str) -> Rebasing:
    return next(rule for prefix, rule in REBASINGS.items() if area_code.startswith(prefix))


def rebasing_notes(rates: list[Rate]) -> list[str]:
    """A sentence for each area whose rates here use estimates from both sides of a census rebasing,
    so a change in rate across it is partly a change of base, not only of offences."""
    years_by_rule: dict[Rebasing, set[int]] = {}
    for rate in rates:
        if rate.population is not None:
            years_by_rule.setdefault(rebasing_of(rate.population.area_code), set()).add(rate.population.year)
    notes = []
    for rule, years in years_by_rule.items():
        before = sorted(y for y in years if y <= rule.last_before)
        if before and any(y > rule.last_before for y in years):
            notes.append(
                f"{rule.office} later rebased its estimates for {rule.where} up to mid-{rule.last_before} on "
                f"{rule.census}{f' ({rule.when})' if rule.when else ''}. The rates here for mid-{before[0]}"
                f"{f' to mid-{before[-1]}' if before[-1] != before[0] else ''} use the estimates as first "
                f"published, so they are not quite comparable with rates from mid-{rule.last_before + 1} on: "
                "part of any change between them comes from how children were counted, not from offences."
            )
    return notes
