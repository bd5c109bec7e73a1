"""Table-only cards: every figure published for an area, with nothing left out."""

from dashboard.cards.card import (
    MEASURE,
    OFFENCE,
    PERIOD,
    PLATFORM,
    SOURCE,
    STATUS,
    VALUE,
    Card,
    Row,
    file_slug,
    with_coverage,
)
from dashboard.words import plural
from stats.records import FigureRecord, sources_of

ROWS_SHOWN = 100  # an area with years of figures for many offences has hundreds; its downloads hold them all


def all_figures_card(area_name: str, figures: list[FigureRecord]) -> Card:
    ordered = sorted(figures, key=lambda f: (f.offence_name, f.measure_name, f.period.start, f.platform_name))
    restated = sum(1 for f in figures if f.is_superseded)
    summary = figures_summary(len(figures), len(sources_of(figures)), restated)
    rows = [Row(f) for f in ordered]
    return Card(
        slug="all-figures",
        title=f"Every figure published for {area_name}",
        summary=summary,
        rows=rows,
        columns=with_coverage([OFFENCE, MEASURE, PLATFORM, PERIOD, VALUE, STATUS, SOURCE], rows),
        filename=file_slug(area_name, "all-figures"),
        rows_shown=ROWS_SHOWN,
    )


def figures_summary(figures: int, sources: int, restated: int) -> str:
    """'12 figures from 3 sources, including 2 from earlier publications that a later one restated.'

    A source's publication is never called a release: releases are this dashboard's own, numbered."""
    summary = f"{plural(figures, 'figure')} from {plural(sources, 'source')}"
    if restated:
        earlier = "an earlier publication" if restated == 1 else "earlier publications"
        summary += f", including {restated:,} from {earlier} that a later one restated"
    return summary + "."
