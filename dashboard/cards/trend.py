"""The trend card: counts (or rates) over time for one or more areas, with honest words."""

import datetime as dt
import itertools
from decimal import Decimal

from dashboard.cards.card import (
    AREA,
    PERIOD,
    RATE,
    SOURCE,
    STATUS,
    VALUE,
    Card,
    Row,
    file_slug,
    offence_short,
    with_coverage,
    years_of,
)
from dashboard.cards.series import Trend, TrendLine, key_dates_within, spoken, trend_of
from dashboard.charts.trend import Line, Marker, Point, Tick, drawn_as, trend_chart
from dashboard.words import Point as Said
from dashboard.words import change_sentences, in_sentence
from stats.age_bands import band_label
from stats.numbers import format_value
from stats.rates import Denominators, Rate, rebasing_notes
from stats.records import FigureRecord
from stats.spans import CALENDAR_YEAR, year_label

OFFENCES_RECORDED = "offences-recorded"


def trend_card(
    figures: list[FigureRecord],
    key_dates: list,
    *,
    slug: str = "trend",
    title: str,
    order: list[str] = (),
    rates: Denominators | None = None,
    show_rate: bool = False,
) -> Card:
    """With rates, each row also carries its rate; with show_rate the chart and words use rates."""
    trend = trend_of(figures, order)
    shown = trend.in_order
    rate_of = {f.id: rates.rate(f) for f in shown} if rates else {}
    plotting = _Plotting(rate_of, rates.band) if show_rate and rates else _Plotting()
    rows = [Row(f, rate_of[f.id].fields() if rates else {}) for f in shown]
    sentences = trend_summary(trend, plotting)
    card = Card(
        slug=slug,
        title=title,
        summary=" ".join(sentences),
        lead=sentences[0],
        rows=rows,
        columns=with_coverage([AREA, PERIOD, VALUE, *([RATE] if rates else []), STATUS, SOURCE], rows),
        filename=_filename(trend, plotting),
    )
    if trend.lines or trend.restated:
        dates = key_dates_within(key_dates, trend)
        card.chart = _chart(trend, dates, plotting)
        card.chart_key = _chart_key(trend, dates, plotting)
        card.notes = _trend_notes(trend) + (rate_notes(list(rate_of.values()), rates.band) if rates else [])
    elif trend.other_spans:
        card.notes = ["No yearly figures have been published for this choice, so there is no chart."]
    return card


class _Plotting:
    """What the chart and the words use: each figure's value, or its rate per 10,000 children."""

    def __init__(self, rate_of: dict[int, Rate] | None = None, band: str = "") -> None:
        self.rate_of, self.band = rate_of, band

    def value(self, figure: FigureRecord) -> Decimal | None:
        return self.rate_of[figure.id].value if self.rate_of is not None else figure.value

    def text(self, figure: FigureRecord) -> str:
        return format_value(self.value(figure), "rate") if self.rate_of is not None else figure.display_value

    def subject(self, figure: FigureRecord) -> str:
        measure = in_sentence(figure.measure_name)
        if self.rate_of is not None:
            measure += f" per 10,000 {band_label(self.band)}"
        return f"{figure.area_name}: {measure}"


def trend_summary(trend: Trend, plotting: _Plotting) -> list[str]:
    """The chosen area's latest change, its longer run and caveats; then each other line's latest change."""
    if trend.is_empty:
        return ["No figures have been published for this choice."]
    if not trend.lines:
        first = trend.other_spans[0]
        return [f"{plotting.subject(first)} was {first.display_value} over {first.period.label}."]
    sentences = []
    for index, line in enumerate(trend.lines):
        said = change_sentences(plotting.subject(line.figures[0]), _points(line, plotting))
        sentences.extend(said if index == 0 else said[:1])
    sentences.extend(_restatements(trend))
    return sentences


def _points(line: TrendLine, plotting: _Plotting) -> list[Said]:
    return [spoken(f, plotting.text(f), plotting.value(f)) for f in line.figures if plotting.value(f) is not None]


def _restatements(trend: Trend) -> list[str]:
    current = {(f.area_code, f.period.label): f for line in trend.lines for f in line.figures}
    said = []
    for earlier in trend.restated:
        now = current.get((earlier.area_code, earlier.period.label))
        if now is not None:
            said.append(
                f"The {earlier.period.label} figure for {earlier.area_name} was first published as "
                f"{earlier.display_value} ({earlier.source.publisher}, {earlier.source.published_label}) "
                f"and later restated as {now.display_value}."
            )
    return said


def rate_notes(rates: list[Rate], band: str) -> list[str]:
    used = sorted({(r.population.year, r.population.source) for r in rates if r.population})
    if not used:
        return ["No rate per 10,000 children can be given for these figures: see the table."]
    estimates = "; ".join(f"mid-{year}: {source}" for year, source in used)
    return [
        f"Rates per 10,000 {band_label(band)} use ONS mid-year estimates ({estimates}). "
        "Each period uses the estimate nearest its middle; see About the data.",
        "Where a count leaves out some forces (see Forces covered), its rate is lower than the true rate, "
        "because the population is every child in the area.",
        *rebasing_notes(rates),
    ]


def _chart(trend: Trend, dates: list, plotting: _Plotting) -> dict:
    lines = [Line(line.name, _with_gaps(line.figures, plotting)) for line in trend.lines]
    restated = [
        _point(f, plotting, " (earlier publication, since restated)")
        for f in trend.restated
        if plotting.value(f) is not None
    ]
    markers = [Marker(d.date, n, f"{d.date.day} {d.date:%B %Y}: {d.title}") for n, d in enumerate(dates, start=1)]
    unit = trend.plotted[0].unit
    return trend_chart(
        lines,
        ticks=_ticks(trend),
        x_range=trend.span,
        restated=restated,
        markers=markers,
        percent=unit == "percent" and plotting.rate_of is None,
    )


def _point(figure: FigureRecord, plotting: _Plotting, said: str = "") -> Point:
    text = plotting.text(figure)
    hover = f"{figure.area_name}, {figure.period.label}: {text}{said}"
    return Point(figure.period.midpoint, float(plotting.value(figure)), text, hover)


def _with_gaps(figures: list[FigureRecord], plotting: _Plotting) -> list[Point | None]:
    """Points for one line, with a break wherever a year or a value is missing."""
    points: list[Point | None] = []
    for previous, figure in zip([None, *figures], figures, strict=False):
        value = plotting.value(figure)
        if (previous is not None and _skips_a_year([previous, figure])) or value is None:
            points.append(None)
        if value is not None:
            points.append(_point(figure, plotting))
    return points


def _ticks(trend: Trend) -> list[Tick]:
    """One tick per period plotted, labelled as published. Lines of both kinds of year share
    calendar-year ticks, since "2017" and "2017/18" side by side would collide."""
    kinds = {f.period.kind for f in trend.plotted}
    if len(kinds) == 1:
        periods = {f.period.label: f.period for f in trend.plotted}
        return sorted((Tick(p.midpoint, label) for label, p in periods.items()), key=lambda t: t.x)
    start, end = trend.span
    return [Tick(dt.date(year, 7, 2), year_label(CALENDAR_YEAR, year)) for year in range(start.year, end.year + 1)]


def _chart_key(trend: Trend, dates: list, plotting: _Plotting) -> list[str]:
    # The key says what is drawn: two years with none between are two dots, not a line.
    drawn = [Line(line.name, _with_gaps(line.figures, plotting)) for line in trend.lines]
    key = [f"{line.name}: {drawn_as(line, index)}." for index, line in enumerate(drawn)]
    if trend.restated:
        key.append("Rings: figures from earlier publications, since restated.")
    key += [f"Key date {n}: {d.date.day} {d.date:%B %Y}, {d.title}." for n, d in enumerate(dates, start=1)]
    return key


def _trend_notes(trend: Trend) -> list[str]:
    notes = []
    if len({line.kind for line in trend.lines}) > 1:
        notes.append("Financial years (April to March) and calendar years are separate lines and never joined.")
    if len({line.area_code for line in trend.lines}) > 1:
        notes.append(
            "Each area is its own line: a change of coverage, such as England and Wales to the UK, is not a trend."
        )
    if any(_skips_a_year(line.figures) for line in trend.lines):
        notes.append("A break in a line means no figure was published for the years between.")
    if trend.other_spans:
        notes.append("Totals for spans other than one year are in the table but not on the chart.")
    return notes


def _skips_a_year(figures: list[FigureRecord]) -> bool:
    return any(b.period.start.year - a.period.start.year > 1 for a, b in itertools.pairwise(figures))


def _filename(trend: Trend, plotting: _Plotting) -> str:
    figures = trend.in_order
    if not figures:
        return "figures"
    areas = list(dict.fromkeys(f.area_name for f in figures))
    first = figures[0]
    measure = "" if first.measure_slug == OFFENCES_RECORDED else first.measure_slug
    rate = "per-10000-children" if plotting.rate_of is not None else ""
    return file_slug(*areas, offence_short(first.offence_slug), measure, rate, years_of(figures))
