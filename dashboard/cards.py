"""The cards each page shows, assembled from figures already fetched by the view.

Each builder takes figures (and key dates), arranges them with stats.series, draws
them with stats.charts and writes the summary sentence from the same numbers.
"""

from decimal import ROUND_HALF_UP, Decimal

from stats.cards import (
    AREA,
    PERIOD,
    PLATFORM,
    RATE,
    SOURCE,
    STATUS,
    VALUE,
    Card,
    Column,
    figure_record,
    last_updated,
)
from stats.cards import sources_of as _sources
from stats.charts import Bar, bar_chart, trend_chart
from stats.models import Figure, Geography, KeyDate, Population
from stats.numbers import format_value
from stats.rates import Denominators
from stats.series import Trend, key_dates_within, trend_of
from stats.wording import describe_change

OVERLAP_NOTE = "One offence can involve more than one platform, so the shares can overlap and need not add up to 100%."


def trend_card(
    figures: list[Figure],
    key_dates: list[KeyDate],
    *,
    slug: str = "trend",
    title: str,
    order: list[str] = (),
    rates: Denominators | None = None,
    show_rate: bool = False,
) -> Card:
    """Counts over time; with rates, each row also carries its rate, and show_rate plots rates."""
    trend = trend_of(figures, order)
    shown = figures_in_order(trend)
    rate_of = {f.pk: rates.rate(f) for f in shown} if rates else {}
    value_of = (lambda f: rate_of[f.pk].value) if show_rate and rates else (lambda f: f.value)
    unit = "rate" if show_rate and rates else ""
    card = Card(
        slug=slug,
        title=title,
        summary=trend_summary(trend, value_of, unit, rates.band if show_rate and rates else ""),
        rows=[figure_record(f, rate_of.get(f.pk)) for f in shown],
        columns=[AREA, PERIOD, VALUE, *([RATE] if rates else []), STATUS, SOURCE],
        sources=_sources(shown),
        last_updated=last_updated(shown),
    )
    if trend.lines or trend.restated:
        dates = key_dates_within(key_dates, trend)
        card.chart = trend_chart(trend, dates, value_of, unit)
        card.notes = _trend_notes(trend, dates) + (_rate_notes(rate_of.values(), rates.band) if rates else [])
    elif trend.other_spans:
        card.notes = ["No yearly figures have been published for this choice, so there is no chart."]
    return card


def figures_in_order(trend: Trend) -> list[Figure]:
    return [*(f for line in trend.lines for f in line.figures), *trend.restated, *trend.other_spans]


def trend_summary(trend: Trend, value_of=lambda f: f.value, unit: str = "", band: str = "") -> str:
    if trend.is_empty:
        return "No figures have been published for this choice."
    if not trend.lines:
        first = trend.other_spans[0]
        return (
            f"{first.geography.name}: {first.measure.name.lower()} was {first.display_value} over {first.period.label}."
        )
    line = trend.lines[0]
    points = [f for f in line.figures if value_of(f) is not None]
    measure = line.figures[0].measure.name.lower()
    if band:
        measure += f" per 10,000 {Population.AgeBand(band).label}"
    subject = f"{line.geography.name}: {measure}"
    if not points:
        return f"{subject}: no rate can be given for these years; the table says why."
    first, latest = points[0], points[-1]
    unit = unit or first.unit
    old, new = format_value(value_of(first), unit), format_value(value_of(latest), unit)
    if first is latest:
        return f"{subject} was {old} in {first.period.label}, the only yearly figure published."
    return (
        f"{subject} {describe_change(value_of(first), value_of(latest))}, from {old} in "
        f"{first.period.label} to {new} in {latest.period.label}."
    )


def _rate_notes(rates, band: str) -> list[str]:
    used = sorted({(r.population.year, str(r.population.source)) for r in rates if r.population})
    if not used:
        return ["No rate per 10,000 children can be given for these figures: see the table."]
    estimates = "; ".join(f"mid-{year}: {source}" for year, source in used)
    return [
        f"Rates per 10,000 {Population.AgeBand(band).label} use ONS mid-year estimates ({estimates}). "
        "Each period uses the estimate nearest its middle; see About the data."
    ]


def _trend_notes(trend: Trend, dates: list[KeyDate]) -> list[str]:
    notes = [
        f"Key date {number}: {key_date.date.day} {key_date.date:%B %Y}, {key_date.title}."
        for number, key_date in enumerate(dates, start=1)
    ]
    if len({line.kind for line in trend.lines}) > 1:
        notes.append("Financial years (April to March) and calendar years are separate lines and never joined.")
    if len({line.geography.code for line in trend.lines}) > 1:
        notes.append(
            "Each area is its own line: a change of coverage, such as England and Wales to the UK, is not a trend."
        )
    if any(
        b.period.start.year - a.period.start.year > 1
        for line in trend.lines
        for a, b in zip(line.figures, line.figures[1:], strict=False)
    ):
        notes.append("A break in a line means no figure was published for the years between.")
    if trend.restated:
        notes.append("Hollow circles are earlier releases that a later publication restated.")
    if trend.other_spans:
        notes.append("Totals for spans other than one year are in the table but not on the chart.")
    return notes


def comparison_card(
    figures: list[Figure], area: Geography, region: Geography, rates: Denominators | None = None
) -> Card | None:
    """The forces of a region side by side, for the period most of them published.

    Bars show rates per 10,000 children when every force shown has one, since forces
    differ in size; otherwise counts, with a note saying so.
    """
    by_period: dict[int, list[Figure]] = {}
    for figure in figures:
        if not figure.is_superseded and figure.period.kind != "other":
            by_period.setdefault(figure.period_id, []).append(figure)
    candidates = [group for group in by_period.values() if len(group) >= 2]
    if not candidates:
        return None
    chosen = max(candidates, key=lambda group: (len(group), group[0].period.start))
    rate_of = {f.pk: rates.rate(f) for f in chosen} if rates else {}
    by_rate = bool(rate_of) and all(r.value is not None for r in rate_of.values())
    value_of = (lambda f: rate_of[f.pk].value) if by_rate else (lambda f: f.value)
    unit = "rate" if by_rate else "count"
    chosen.sort(key=value_of, reverse=True)
    top, bottom = chosen[0], chosen[-1]
    period = top.period.label
    what = "the highest rate per 10,000 children" if by_rate else "the most offences"
    least = "the lowest" if by_rate else "the fewest"
    notes = ["Forces with no published figure for this period are left out: they are not zero."]
    if by_rate:
        notes += _rate_notes(rate_of.values(), rates.band)
    else:
        notes.append("Forces differ in size, so counts alone do not show where a child is more at risk.")
    return Card(
        slug="comparison",
        title=f"Forces of the {region.name} region, {period}",
        summary=(
            f"In {period}, {len(chosen)} forces of the {region.name} region published figures for "
            f"{top.offence.name.lower()}: {top.geography.name} had {what} "
            f"({format_value(value_of(top), unit)}) and {bottom.geography.name} {least} "
            f"({format_value(value_of(bottom), unit)})."
        ),
        rows=[figure_record(f, rate_of.get(f.pk)) for f in chosen],
        columns=[AREA, PERIOD, VALUE, *([RATE] if rates else []), SOURCE],
        sources=_sources(chosen),
        chart=bar_chart(
            [Bar(_bar_label(f.geography, area), value_of(f), unit, f.geography_id == area.pk) for f in chosen]
        ),
        notes=notes,
        last_updated=last_updated(chosen),
    )


def _bar_label(geography: Geography, area: Geography) -> str:
    return f"{geography.name} (this area)" if geography.pk == area.pk else geography.name


def platform_card(shares: list[Figure], denominator: Figure | None, *, slug: str = "platforms") -> Card:
    first = shares[0]
    # A grouping such as "Meta-owned apps" adds several apps together: it is not a rival to one app.
    top = max((f for f in shares if not f.platform.is_grouping), key=lambda f: f.value, default=first)
    where = f"{first.geography.name}, {first.period.label}"
    if denominator:
        base = f"Of the {denominator.display_value} offences where police recorded the platform ({where})"
    else:
        base = f"Of the offences where police recorded the platform ({where}; their number was not published)"
    shown = [*sorted(shares, key=lambda f: f.value, reverse=True), *([denominator] if denominator else [])]
    return Card(
        slug=slug,
        title=f"Platforms recorded in offences, {where}",
        summary=(
            f"{base}, {top.platform.name} was recorded in {top.display_value}, "
            "the highest share of any single platform."
        ),
        rows=[figure_record(f) for f in shown],
        columns=[Column("measure", "Measure"), PLATFORM, VALUE, SOURCE],
        sources=_sources(shown),
        chart=bar_chart([Bar(f.platform.name, f.value, f.unit) for f in shares]),
        notes=[OVERLAP_NOTE]
        + [f"{f.platform.name}: {f.platform.description}" for f in shares if f.platform.is_grouping]
        + ([] if denominator else ["The source did not publish how many offences had a platform recorded."]),
        last_updated=last_updated(shown),
    )


def outcome_card(pairs: list[tuple[Figure, Figure]]) -> Card:
    """Charges or summonses against offences recorded, for each area and period published."""
    rows, bars = [], []
    for charges, offences in pairs:
        if not offences.value:
            continue  # no offences recorded: no rate to give
        rate = (charges.value / offences.value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        sources = _sources([charges, offences])
        rows.append(
            {
                "area": charges.geography.name,
                "area_code": charges.geography.code,
                "period": charges.period.label,
                "period_start": charges.period.start.isoformat(),
                "period_end": charges.period.end.isoformat(),
                "offence": charges.offence.name,
                "charges_or_summonses": charges.value,
                "offences_recorded": offences.value,
                "rate": rate,
                "unit": "percent",
                "source_publisher": " | ".join(s.publisher for s in sources),
                "source_title": " | ".join(s.title for s in sources),
                "source_published": " | ".join(s.published_label for s in sources),
                "source_url": " | ".join(s.url for s in sources),
                "note": " ".join(n for n in (charges.note, offences.note) if n),
            }
        )
        bars.append(Bar(f"{charges.geography.name}, {charges.period.label}", rate, "percent"))
    phrases = [
        f"{row['area']}: {format_value(row['charges_or_summonses'], 'count')} of "
        f"{format_value(row['offences_recorded'], 'count')} ({row['rate']}%) in {row['period']}"
        for row in rows
    ]
    figures = [figure for pair in pairs for figure in pair]
    return Card(
        slug="outcomes",
        title="Charges or summonses for every 100 offences recorded",
        summary="Offences that led to a charge or summons: " + "; ".join(phrases) + ".",
        rows=rows,
        columns=[
            AREA,
            PERIOD,
            Column("offence", "Offence"),
            Column(
                "charges_or_summonses",
                "Charges or summonses",
                True,
                lambda r: format_value(r["charges_or_summonses"], "count"),
            ),
            Column(
                "offences_recorded", "Offences recorded", True, lambda r: format_value(r["offences_recorded"], "count")
            ),
            Column("rate", "Rate", True, lambda r: f"{r['rate']}%"),
            SOURCE,
        ],
        sources=_sources(figures),
        chart=bar_chart(bars),
        notes=[
            "The areas count different things (an FOI grouping of online grooming crimes against Home Office "
            "classification 88A) over different periods, so the rates are not a like-for-like comparison.",
            "A charge can come in a later year than the offence was recorded.",
        ],
        last_updated=last_updated(figures),
    )
