"""Figures arranged as series for charts: pure functions, no database access.

Financial years, calendar years and other spans are kept apart, because joining
an April-to-March count to a January-to-December one would draw a trend that no
source published.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from stats.models import Figure, Geography, KeyDate, Period


@dataclass(frozen=True)
class TrendLine:
    geography: Geography
    kind: str  # Period.Kind.FINANCIAL_YEAR or CALENDAR_YEAR
    figures: list[Figure]  # current figures, oldest first

    @property
    def name(self) -> str:
        years = "financial years" if self.kind == Period.Kind.FINANCIAL_YEAR else "calendar years"
        return f"{self.geography.name} ({years})"


@dataclass(frozen=True)
class Trend:
    lines: list[TrendLine]
    restated: list[Figure]  # earlier releases of a plotted figure, since restated
    other_spans: list[Figure]  # totals over spans that are not one year: tabled, not plotted

    @property
    def plotted(self) -> list[Figure]:
        return [figure for line in self.lines for figure in line.figures] + self.restated

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        plotted = self.plotted
        return min(f.period.start for f in plotted), max(f.period.end for f in plotted)

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.other_spans


def trend_of(figures: Iterable[Figure], order: list[str] = ()) -> Trend:
    """Split figures (with their stored revision status) into one line per area and kind of year.

    Lines follow `order` (area codes, the chosen area first), then area code.
    """
    lines: dict[tuple[int, str], list[Figure]] = {}
    restated, other_spans = [], []
    for figure in sorted(figures, key=lambda f: (f.period.start, f.period.end)):
        if figure.period.kind == Period.Kind.OTHER:
            other_spans.append(figure)
        elif figure.is_superseded:
            restated.append(figure)
        else:
            lines.setdefault((figure.geography_id, figure.period.kind), []).append(figure)
    rank = {code: position for position, code in enumerate(order)}

    def line_order(item: tuple) -> tuple:
        (_, kind), figures = item
        code = figures[0].geography.code
        return rank.get(code, len(rank)), code, kind

    ordered = sorted(lines.items(), key=line_order)
    return Trend(
        lines=[TrendLine(figures[0].geography, kind, figures) for (_, kind), figures in ordered],
        restated=restated,
        other_spans=[f for f in other_spans if not f.is_superseded],
    )


def key_dates_within(key_dates: Iterable[KeyDate], trend: Trend) -> list[KeyDate]:
    """The key dates that fall inside the plotted span, in date order."""
    start, end = trend.span
    return sorted((k for k in key_dates if start <= k.date <= end), key=lambda k: k.date)


def first_and_latest(figures: list[Figure]) -> tuple[Figure, Figure] | None:
    """The earliest and the latest figure of one line, when there are two to compare."""
    if len(figures) < 2:
        return None
    return figures[0], figures[-1]
