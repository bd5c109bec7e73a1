"""The outcome card: charges or summonses for every 100 offences recorded, area by area.

A charge rate is a share, drawn on a scale from 0 to 100%; and where the source says the
charges are for one offence while the offences they are set against are a wider count, the
card says so beside the number, since the share then overstates or understates nothing
it can show exactly.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from dashboard.cards.card import AREA, OFFENCE, PERIOD, SOURCE, Card, Column, Row, file_slug, offence_short
from dashboard.charts.bars import Bar, bar_chart
from dashboard.words import in_sentence
from stats.numbers import format_value, plain_number
from stats.records import FigureRecord

CHARGES = Column("Charges or summonses", lambda row: row.figure.display_value, numeric=True)
RECORDED = Column("Offences recorded", lambda row: format_value(row.extra["offences_recorded"], "count"), numeric=True)
PER_100 = Column("Per 100 offences", lambda row: f"{row.extra['charged_per_100_offences']}%", numeric=True)


def outcome_card(pairs: list[tuple[FigureRecord, FigureRecord]], offence_names: Iterable[str] = ()) -> Card:
    """Each row is the charges figure, with the offences it is set against beside it: one
    offence and period, area by area. `offence_names`: every offence's name, to tell when a
    charges figure's note names an offence other than the one its base counts."""
    offence_names = list(offence_names)
    rows, bars, phrases, counted = [], [], [], []
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
        of_whole = f"{charges.display_value} of {offences.display_value}"
        bars.append(Bar(f"{charges.area_name}, {charges.period.label}", float(rate), f"{rate}% ({of_whole})"))
        phrases.append(
            f"{charges.area_name}: {charges.display_value} of {offences.display_value} ({rate}%) in "
            f"{charges.period.label}"
        )
        if charges.note:
            counted.append(what_the_charges_count(charges, offences, offence_names))
    first = pairs[0][0]
    return Card(
        slug="outcomes",
        title=f"{first.offence_name}, {first.period.label}: charges or summonses for every 100 offences recorded",
        summary=" ".join(["Offences that led to a charge or summons: " + "; ".join(phrases) + ".", *counted]),
        rows=rows,
        columns=[AREA, PERIOD, OFFENCE, CHARGES, RECORDED, PER_100, SOURCE],
        filename=file_slug(
            "charges-or-summonses-per-100-offences", offence_short(first.offence_slug), first.period.label
        ),
        chart=bar_chart(bars, share=True),
        notes=["A charge can come in a later year than the offence was recorded."],
    )


def what_the_charges_count(charges: FigureRecord, offences: FigureRecord, offence_names: list[str]) -> str:
    """The charges figure's own note, and what its base counts: 'The 89 charges or summonses
    (West Midlands Police, 2017 to 2022) are, in the source's words: "Charge or summons issued
    for sexual communication with a child." They are set against all 732 offences counted as
    online grooming crimes (West Midlands Police), which is not a count of sexual communication with a
    child alone: the share is a guide only.'"""
    note = charges.note.strip()
    note = note if note.endswith((".", "!", "?")) else note + "."
    said = (
        f"The {charges.display_value} charges or summonses ({charges.area_name}, {charges.period.label}) are, "
        f'in the source\'s words: "{note}" They are set against the {offences.display_value} offences counted as '
        f"{in_sentence(offences.offence_name)}"
    )
    named = [name for name in offence_names if name != offences.offence_name and name.lower() in note.lower()]
    if named:
        return said + f", which is not a count of {in_sentence(named[0])} alone: the share is a guide only."
    return said + "."
