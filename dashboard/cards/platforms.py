"""The platform card: the apps police recorded in offences, as shares of those with a platform recorded."""

from dashboard.cards.card import AREA, MEASURE, PERIOD, PLATFORM, SOURCE, VALUE, Card, Row, file_slug
from dashboard.charts.bars import Bar, bar_chart
from dashboard.words import plural
from stats.records import FigureRecord

OVERLAP_NOTE = "One offence can involve more than one platform, so the shares can overlap and need not add up to 100%."


def platform_card(shares: list[FigureRecord], denominator: FigureRecord | None, *, slug: str = "platforms") -> Card:
    first = shares[0]
    # A grouping such as "Meta-owned apps" adds several apps together: it is not a rival to one app.
    top = max((f for f in shares if not f.platform_is_grouping), key=lambda f: f.value, default=first)
    where = f"{first.area_name}, {first.period.label}"
    if denominator:
        base = f"Of the {denominator.display_value} offences where police recorded the platform ({where})"
    else:
        base = f"Of the offences where police recorded the platform ({where}; their number was not published)"
    shown = [*sorted(shares, key=lambda f: f.value, reverse=True), *([denominator] if denominator else [])]
    return Card(
        slug=slug,
        title=f"Platforms recorded in offences, {where}",
        summary=(
            f"{base}, {top.platform_name} was recorded in {top.display_value}, "
            "the highest share of any single platform."
        ),
        rows=[Row(f) for f in shown],
        columns=[MEASURE, PLATFORM, VALUE, SOURCE],
        filename=file_slug(first.area_name, "platforms", first.period.label),
        # A share of a whole, drawn on a scale from 0 to 100%, never stretched to fit.
        chart=bar_chart([Bar(f.platform_name, float(f.value), f.display_value) for f in shares], share=True),
        notes=[OVERLAP_NOTE]
        + [f"{f.platform_name}: {f.platform_description}" for f in shares if f.platform_is_grouping]
        + ([] if denominator else ["The source did not publish how many offences had a platform recorded."]),
    )


ROWS_SHOWN = 100  # years of national and force shares run to hundreds; the downloads hold them all
ALL_SHARES = "all-shares"


def all_shares_card(figures: list[FigureRecord], *, total: int, shares: int, sources: int) -> Card:
    """Every platform share and the counts they are shares of, in table order (every_platform_share).
    A page is given only the first ROWS_SHOWN of them and says so; a download is given every one.
    `total` is how many there are, `shares` how many of them are shares, from `sources` sources."""
    notes = [OVERLAP_NOTE]
    if len(figures) < total:
        notes.append(
            f"The table lists the first {len(figures):,} of these {total:,} figures, and the sources "
            "and citations are theirs; the CSV and JSON downloads have every one."
        )
    return Card(
        slug=ALL_SHARES,
        title="Every platform share published",
        summary=(
            f"{plural(shares, 'platform share')} from {plural(sources, 'source publication')}, each with the number of "
            "offences where a platform was recorded when the publication gave it."
        ),
        rows=[Row(f) for f in figures],
        columns=[AREA, PERIOD, MEASURE, PLATFORM, VALUE, SOURCE],
        filename="platform-shares-all-publications",
        notes=notes,
        rows_shown=ROWS_SHOWN,
    )
