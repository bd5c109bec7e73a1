"""The comparison card: the forces of a region side by side, for the period most of them published."""

from dashboard.cards.card import AREA, PERIOD, RATE, SOURCE, VALUE, Card, Row, file_slug, offence_short
from dashboard.cards.ranks import highest_and_lowest, highest_and_lowest_words, ranked, where_it_stands
from dashboard.cards.trend import rate_notes
from dashboard.charts.bars import Bar, bar_chart
from dashboard.words import in_sentence
from stats.numbers import format_value
from stats.rates import Denominators
from stats.records import FigureRecord


def comparison_card(
    figures: list[FigureRecord], area_code: str, region_name: str, rates: Denominators | None = None
) -> Card | None:
    """Bars show rates per 10,000 children when every force shown has one, since forces
    differ in size; otherwise counts, with a note saying so."""
    by_period: dict[str, list[FigureRecord]] = {}
    for figure in figures:
        if not figure.is_superseded and figure.period.is_single_year:
            by_period.setdefault(figure.period.label, []).append(figure)
    candidates = [group for group in by_period.values() if len(group) >= 2]
    if not candidates:
        return None
    chosen = max(candidates, key=lambda group: (len(group), group[0].period.start))
    rate_of = {f.id: rates.rate(f) for f in chosen} if rates else {}
    by_rate = bool(rate_of) and all(r.value is not None for r in rate_of.values())

    def value_of(figure: FigureRecord):
        return rate_of[figure.id].value if by_rate else figure.value

    def text_of(figure: FigureRecord) -> str:
        return format_value(value_of(figure), "rate") if by_rate else figure.display_value

    ranking = ranked(chosen, value=value_of, name=lambda f: f.area_name, shown=text_of)
    chosen = [placed.item for placed in ranking]  # the table and the bars in the words' order
    top = chosen[0]
    period = top.period.label
    what = "the highest rate per 10,000 children" if by_rate else "the most offences"
    least = "the lowest" if by_rate else "the fewest"
    notes = ["Forces with no published figure for this period are left out: they are not zero."]
    if by_rate:
        notes += rate_notes(list(rate_of.values()), rates.band)[:1]
    else:
        notes.append("Forces differ in size, so counts alone do not show where a child is more at risk.")
    summary = (
        f"In {period}, {len(chosen)} forces of the {region_name} region published figures for "
        f"{in_sentence(top.offence_name)}: {highest_and_lowest_words(ranking, what, least)}."
    )
    named = [placed.item for group in highest_and_lowest(ranking) for placed in group]
    here = next((placed for placed in ranking if placed.item.area_code == area_code), None)
    if here is not None and here.item not in named:
        summary += " " + where_it_stands(here, f"the {len(chosen)} forces")
    return Card(
        slug=f"comparison-{top.offence_slug}",
        title=f"Forces of the {region_name} region, {period}",
        summary=summary,
        rows=[Row(f, rate_of[f.id].fields() if rates else {}) for f in chosen],
        columns=[AREA, PERIOD, VALUE, *([RATE] if rates else []), SOURCE],
        filename=file_slug(f"{region_name} forces", offence_short(top.offence_slug), period),
        chart=bar_chart(
            [
                Bar(
                    f"{f.area_name} (this area)" if f.area_code == area_code else f.area_name,
                    float(value_of(f)),
                    text_of(f),
                    f.area_code == area_code,
                )
                for f in chosen
            ]
        ),
        notes=notes,
    )
