"""A card is one chart with everything that makes it citable: title, summary sentence,
the exact rows plotted, their sources, notes and when the data last changed.

The table, the CSV and the JSON download are all written from the same rows, so
they always agree with each other and with the chart.
"""

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from stats.models import Figure, Release, Source
from stats.numbers import format_value

if TYPE_CHECKING:
    from stats.rates import Rate


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    render: Callable[[dict], str] | None = None
    link_key: str = ""  # the row's key holding a link for this cell, if any

    def cell(self, row: dict) -> str:
        return self.render(row) if self.render else str(row[self.key])


def _value_cell(row: dict) -> str:
    return format_value(row["value"], row["unit"])


AREA = Column("area", "Area")
PERIOD = Column("period", "Period")
MEASURE = Column("measure", "Measure")
PLATFORM = Column("platform", "Platform")
VALUE = Column("value", "Value", numeric=True, render=_value_cell)
STATUS = Column("status", "Status")
SOURCE = Column("source_publisher", "Source")


@dataclass
class Card:
    slug: str  # the card's anchor on its page and its name in download links
    title: str
    summary: str
    rows: list[dict]
    columns: list[Column]
    sources: list[Source]
    chart: dict | None = None
    notes: list[str] = field(default_factory=list)
    last_updated: "Release | None" = None  # the latest release of the figures shown
    # Set by the view, which knows the page's address.
    permalink: str = ""
    citation: str = ""
    download_query: str = ""

    @property
    def chart_height(self) -> int | None:
        """A chart that sets its own height gets that space reserved, so nothing moves when it draws."""
        return self.chart["layout"].get("height") if self.chart else None

    @property
    def chart_id(self) -> str:
        return f"{self.slug}-chart"

    @property
    def table(self) -> list[list[tuple[str, bool, str]]]:
        """Each cell as (text, numeric, link)."""
        return [
            [(column.cell(row), column.numeric, row.get(column.link_key, "")) for column in self.columns]
            for row in self.rows
        ]


STATUS_CURRENT = "current"
STATUS_RESTATED = "earlier publication, since restated"


def figure_record(figure: Figure, rate: "Rate | None" = None) -> dict:
    """One figure as a row: value, what it counts, where, when, and who published it,
    with its rate per 10,000 children and that rate's denominator when one is asked for."""
    source = figure.source
    return {
        "area": figure.geography.name,
        "area_code": figure.geography.code,
        "period": figure.period.label,
        "period_start": figure.period.start.isoformat(),
        "period_end": figure.period.end.isoformat(),
        "period_kind": figure.period.get_kind_display(),
        "offence": figure.offence.name,
        "measure": figure.measure.name,
        "platform": figure.platform.name if figure.platform else "",
        "value": figure.value,
        "unit": figure.unit,
        "status": STATUS_RESTATED if getattr(figure, "is_superseded", False) else STATUS_CURRENT,
        "source_publisher": source.publisher,
        "source_title": source.title,
        "source_published": source.published_label,
        "source_url": source.url,
        "note": figure.note,
        "dashboard_release": figure.release_id,
        "dashboard_published": timezone.localdate(figure.release.published_at).isoformat(),
        **(_rate_fields(rate) if rate is not None else {}),
    }


def _rate_fields(rate: "Rate") -> dict:
    population = rate.population
    return {
        "rate_per_10000_children": rate.value if rate.value is not None else "",
        "rate_age_band": population.age_band if population else "",
        "rate_population": population.value if population else "",
        "rate_population_year": f"mid-{population.year}" if population else "",
        "rate_population_source": str(population.source) if population else "",
        "rate_note": rate.reason,
    }


def _rate_cell(row: dict) -> str:
    value = row.get("rate_per_10000_children", "")
    return f"{value:,.1f}" if value != "" else "no rate"


RATE = Column("rate_per_10000_children", "Per 10,000 children", numeric=True, render=_rate_cell)


def sources_of(figures: Iterable[Figure]) -> list[Source]:
    unique = {figure.source_id: figure.source for figure in figures}
    return sorted(unique.values(), key=lambda source: (source.published, source.publisher))


def last_updated(figures: Iterable[Figure]) -> "Release | None":
    """When this dashboard last published any of these figures: a release, never a database load."""
    return max((figure.release for figure in figures), key=lambda release: release.number, default=None)


def citation(card: Card, accessed: dt.date) -> str:
    """'Cite this': the sources, then the dashboard view and the day it was read."""
    publications = "; ".join(f"{s.publisher}, \u2018{s.title}\u2019 ({s.published_label})" for s in card.sources)
    return (
        f"{publications}. Shown in \u2018{card.title}\u2019, Online grooming crime in the UK dashboard, "
        f"{card.permalink} (accessed {accessed.day} {accessed:%B %Y})."
    )


# A cell starting with one of these is a formula to a spreadsheet: written as text instead.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_csv(card: Card) -> str:
    buffer = io.StringIO()
    fieldnames = list(card.rows[0]) if card.rows else ["area"]
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\r\n")
    writer.writeheader()
    for row in card.rows:
        writer.writerow({key: _safe_cell(value) for key, value in row.items()})
    return "\ufeff" + buffer.getvalue()  # the byte-order mark makes Excel read UTF-8


def as_json(card: Card) -> str:
    document = {
        "title": card.title,
        "summary": card.summary,
        "permalink": card.permalink,
        "citation": card.citation,
        "notes": card.notes,
        "rows": card.rows,
    }
    return json.dumps(document, default=_json_number, ensure_ascii=False, indent=2)


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _json_number(value: object) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
