"""A card is one chart with everything that makes it citable: title, summary sentence,
the exact figures plotted, their sources, notes and when the data last changed here.

The table, the CSV and the JSON download are all written from the same rows, each
a typed figure record (plus, for rates, the rate and its denominator), so they always
agree with each other and with the chart.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from dashboard.citations import cite
from stats.records import FigureRecord, Publication, sources_of


@dataclass(frozen=True)
class Row:
    figure: FigureRecord
    extra: dict[str, object] = field(default_factory=dict)  # computed beside the figure: a rate and its base
    link: str = ""  # where the row's first cell links to, if anywhere

    def fields(self) -> dict[str, object]:
        return {**self.figure.fields(), **self.extra}

    def json_fields(self) -> dict[str, object]:
        return {**self.figure.json_fields(), **self.extra}


@dataclass(frozen=True)
class Column:
    label: str
    cell: Callable[[Row], str]
    numeric: bool = False


AREA = Column("Area", lambda row: row.figure.area_name)
PERIOD = Column("Period", lambda row: row.figure.period.label)
OFFENCE = Column("Offence", lambda row: row.figure.offence_name)
MEASURE = Column("Measure", lambda row: row.figure.measure_name)
PLATFORM = Column("Platform", lambda row: row.figure.platform_name)
VALUE = Column("Value", lambda row: row.figure.display_value, numeric=True)
COVERAGE = Column("Forces covered", lambda row: row.figure.coverage or "not stated")
STATUS = Column("Status", lambda row: "current" if not row.figure.is_superseded else "earlier, since restated")
SOURCE = Column("Source", lambda row: row.figure.source.publisher)


def _rate_cell(row: Row) -> str:
    value = row.extra.get("rate_per_10000_children", "")
    return f"{value:,.1f}" if value != "" else "no rate"


RATE = Column("Per 10,000 children", _rate_cell, numeric=True)


def with_coverage(columns: list[Column], rows: list[Row]) -> list[Column]:
    """Add 'Forces covered' before the source when any figure shown states its coverage."""
    if not any(row.figure.coverage for row in rows):
        return columns
    return [*columns[:-1], COVERAGE, columns[-1]]


class Stamp(NamedTuple):
    number: int
    date: dt.date


@dataclass
class Card:
    slug: str  # the card's anchor on its page
    title: str
    summary: str
    rows: list[Row]
    columns: list[Column]
    filename: str  # what a download is called, without its extension: says what it holds
    chart: dict | None = None
    lead: str = ""  # the summary's first sentence: the answer an area page opens with
    chart_key: list[str] = field(default_factory=list)  # read right under the chart: its key dates, in words
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, words) for a map's colour scale
    notes: list[str] = field(default_factory=list)
    # At most this many rows in the page's table (None: all); the downloads always hold every row.
    rows_shown: int | None = None
    # Set by the page, which knows its address.
    permalink: str = ""
    download_query: str = ""
    citations: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[Publication]:
        return sources_of(row.figure for row in self.rows)

    @property
    def source_notes(self) -> list[tuple[str, str]]:
        """Each distinct note on the figures shown, with the figures it is on ("Hampshire
        Constabulary, 2023/24 (95)"): the sources' own caveats, such as a force's incomplete
        return or a table parsed from run-together cells, belong beside the chart, not a click away."""
        on: dict[str, list[FigureRecord]] = {}
        for row in self.table_rows:
            if row.figure.note:
                on.setdefault(row.figure.note, []).append(row.figure)
        return [(_figures_with_note(figures), note) for note, figures in on.items()]

    @property
    def published_here(self) -> Stamp | None:
        """When this dashboard last published any of these figures: a release, never a database load."""
        latest = max((row.figure for row in self.rows), key=lambda f: f.release, default=None)
        return Stamp(latest.release, latest.release_published) if latest else None

    @property
    def chart_height(self) -> int | None:
        """A chart that sets its own height gets that space reserved, so nothing moves when it draws."""
        return self.chart["layout"].get("height") if self.chart else None

    @property
    def chart_id(self) -> str:
        return f"{self.slug}-chart"

    @property
    def table_rows(self) -> list[Row]:
        """The rows the page's table shows: the first `rows_shown`, or all of them."""
        return self.rows if self.rows_shown is None else self.rows[: self.rows_shown]

    @property
    def table_note(self) -> str:
        """Said under a table that shows only some of the card's rows."""
        if len(self.table_rows) == len(self.rows):
            return ""
        return (
            f"The table lists the first {len(self.table_rows):,} of these {len(self.rows):,} figures; "
            "the CSV and JSON downloads have every one."
        )

    @property
    def table(self) -> list[list[tuple[str, bool, str]]]:
        """Each cell of the table's rows as (text, numeric, link); only a row's first cell links."""
        return [
            [(column.cell(row), column.numeric, row.link if i == 0 else "") for i, column in enumerate(self.columns)]
            for row in self.table_rows
        ]


def citations(card: Card, accessed: dt.date) -> list[str]:
    """'Cite this': one citation per source, each naming the figures of this card it gives,
    so a journalist cites the publication of the figure they use, not every source on the chart."""
    by_source: dict[int, list[FigureRecord]] = {}
    for row in card.rows:
        by_source.setdefault(row.figure.source.id, []).append(row.figure)
    lines = []
    for source in card.sources:
        figures = by_source[source.id]
        lines.append(f"{_figures_named(figures)}: {cite(source, card.permalink, accessed)}")
    return lines


def _figures_with_note(figures: list[FigureRecord]) -> str:
    if len(figures) > 3:
        return f"{len(figures)} figures"
    return "; ".join(f"{f.area_name}, {f.period.label} ({f.display_value})" for f in figures)


def _figures_named(figures: list[FigureRecord]) -> str:
    if len(figures) > 3:
        return f"For the {len(figures)} figures of this card from this source"
    return "For " + "; ".join(f"{f.display_value} ({f.area_name}, {f.period.label})" for f in figures)


def file_slug(*parts: str) -> str:
    """'West Midlands Police', '2017' -> 'west-midlands-police-2017': a safe, readable file name."""
    words = re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")
    return words[:120].rstrip("-") or "figures"


def offence_short(slug: str) -> str:
    """'sexual-communication-with-a-child' -> 'sexual-communication': enough to tell offences apart."""
    return "-".join(slug.split("-")[:2])


def years_of(figures: list[FigureRecord]) -> str:
    """'2017-2025' for figures from April 2017 to March 2025; one year alone for one year."""
    if not figures:
        return ""
    first = min(f.period.start for f in figures).year
    last = max(f.period.end for f in figures).year
    return str(first) if first == last else f"{first}-{last}"
