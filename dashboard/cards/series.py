"""Figures arranged as series for charts: pure functions over records, no database access.

Financial years, calendar years and other spans are kept apart, because joining
an April-to-March count to a January-to-December one would draw a trend that no
source published.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.words import Point
from stats.records import FigureRecord
from stats.spans import FINANCIAL_YEAR, OTHER


@dataclass(frozen=True)
class TrendLine:
    area_code: str
    area_name: str
    kind: str  # stats.spans.FINANCIAL_YEAR or CALENDAR_YEAR
    figures: list[FigureRecord]  # current figures, oldest first

    @property
    def name(self) -> str:
        years = "financial years" if self.kind == FINANCIAL_YEAR else "calendar years"
        return f"{self.area_name} ({years})"


@dataclass(frozen=True)
class Trend:
    lines: list[TrendLine]
    restated: list[FigureRecord]  # earlier publications of a plotted figure, since restated
    other_spans: list[FigureRecord]  # totals over spans that are not one year: tabled, not plotted

    @property
    def plotted(self) -> list[FigureRecord]:
        return [figure for line in self.lines for figure in line.figures] + self.restated

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        plotted = self.plotted
        return min(f.period.start for f in plotted), max(f.period.end for f in plotted)

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.other_spans

    @property
    def in_order(self) -> list[FigureRecord]:
        """Every figure, as the table lists them: line by line, then restated, then other spans."""
        return [*(f for line in self.lines for f in line.figures), *self.restated, *self.other_spans]


def trend_of(figures: Iterable[FigureRecord], order: Iterable[str] = ()) -> Trend:
    """Split figures (with their stored revision status) into one line per area and kind of year.

    Lines follow `order` (area codes, the chosen area first), then area code.
    """
    lines: dict[tuple[str, str], list[FigureRecord]] = {}
    restated, other_spans = [], []
    for figure in sorted(figures, key=lambda f: (f.period.start, f.period.end)):
        if figure.period.kind == OTHER:
            if not figure.is_superseded:
                other_spans.append(figure)
        elif figure.is_superseded:
            restated.append(figure)
        else:
            lines.setdefault((figure.area_code, figure.period.kind), []).append(figure)
    rank = {code: position for position, code in enumerate(order)}
    ordered = sorted(lines.items(), key=lambda item: (rank.get(item[0][0], len(rank)), *item[0]))
    return Trend(
        lines=[TrendLine(code, figures[0].area_name, kind, figures) for (code, kind), figures in ordered],
        restated=restated,
        other_spans=other_spans,
    )


def spoken(figure: FigureRecord, shown: str, value) -> Point:
    """A figure as the words need it (dashboard.words.Point), shown and valued as the caller plots it."""
    return Point(
        label=figure.period.label,
        shown=shown,
        value=value,
        kind=figure.period.kind,
        start=figure.period.start,
        coverage=figure.coverage,
        months_covered=figure.months_covered,
        in_force=figure.offence_in_force,
    )


def key_dates_for_offence(key_dates: Iterable, in_force: dict[str, dt.date | None], offence: str) -> list:
    """The key dates a chart of one offence shows: a date on which another offence came into force
    belongs to that offence (sexual communication with a child, 3 April 2017, means nothing on a
    chart of Scotland's own offence), unless this offence has no start of its own to set against it
    (Home Office 88A, which includes it)."""
    own = in_force.get(offence)
    others = {day for slug, day in in_force.items() if slug != offence and day is not None and day != own}
    return [k for k in key_dates if own is None or k.date not in others]


def key_dates_within(key_dates: Iterable, trend: Trend) -> list:
    """The key dates (anything with a .date) that fall inside the plotted span, in date order."""
    start, end = trend.span
    return sorted((k for k in key_dates if start <= k.date <= end), key=lambda k: k.date)
