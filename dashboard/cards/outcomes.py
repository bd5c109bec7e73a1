"""The outcome card: charges or summonses for every 100 offences recorded, area by area."""

from decimal import ROUND_HALF_UP, Decimal

from dashboard.cards.card import AREA, OFFENCE, PERIOD, SOURCE, Card, Column, Row, file_slug, offence_short
from dashboard.charts.bars import Bar, bar_chart
from stats.numbers import format_value, plain_number
from stats.records import FigureRecord

CHARGES = Column("Charges or summonses", lambda row: row.figure.display_value, numeric=True)
RECORDED = Column("Offences recorded", lambda row: format_value(row.extra["offences_recorded"], "count"), numeric=True)
PER_100 = Column("Per 100 offences", lambda row: f"{row.extra['charged_per_100_offences']}%", numeric=True)


def outcome_card(pairs: list[tuple[FigureRecord, FigureRecord]]) -> Card:
    """Each row is the charges figure, with the offences it is set against beside it: one
    offence and period, area by area."""
    rows, bars, phrases = [], [], []
    for charges, offences in pairs:
        if not offences.value:
            continue  # no offences recorded: no rate to give
        rate = (charges.value / offences.value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        rows.append(
            Row(
                charges,
                {
                    "offences_recorded": plain_number(offences.value),
                    "offences_recorded_figure_id": offences.id,
                    "offences_recorded_source": offences.source.publisher,
                    "charged_per_100_offences": rate,
                },
            )
        )
        bars.append(Bar(f"{charges.area_name}, {charges.period.label}", float(rate), f"{rate}%"))
        phrases.append(
            f"{charges.area_name}: {charges.display_value} of {offences.display_value} ({rate}%) in "
            f"{charges.period.label}"
        )
    first = pairs[0][0]
    return Card(
        slug="outcomes",
        title=f"{first.offence_name}, {first.period.label}: charges or summonses for every 100 offences recorded",
        summary="Offences that led to a charge or summons: " + "; ".join(phrases) + ".",
        rows=rows,
        columns=[AREA, PERIOD, OFFENCE, CHARGES, RECORDED, PER_100, SOURCE],
        filename=file_slug(
            "charges-or-summonses-per-100-offences", offence_short(first.offence_slug), first.period.label
        ),
        chart=bar_chart(bars),
        notes=["A charge can come in a later year than the offence was recorded."],
    )
