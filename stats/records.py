"""The typed figure record: one published figure as plain data, with everything shown beside it.

Pages, tables, CSV and JSON downloads (and the API to come) all read figures as these
records, built in one query by `Figure.objects.records()`. Nothing here touches the
database, so card and chart builders can be given records and stay free of the ORM.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from stats.caveats import caveats_cell, caveats_of
from stats.numbers import format_value, plain_number
from stats.spans import OTHER

# A figure's permanent page (routed in dashboard/urls.py as "figure"; a test checks they agree).
FIGURE_PATH = "/figures/{}/"
STATUS_CURRENT = "current"
STATUS_REVISION = "revision"
STATUS_WITHDRAWN = "withdrawn"
# A download's `status` column, in words.
STATUS_WORDS = {
    STATUS_CURRENT: "current",
    STATUS_REVISION: "earlier publication, since restated",
    STATUS_WITHDRAWN: "withdrawn",
}
MONTH = dt.timedelta(days=31)
DAYS_A_MONTH = 30.44


def _months(first: dt.date, last: dt.date) -> int:
    return round(((last - first).days + 1) / DAYS_A_MONTH)


@dataclass(frozen=True, slots=True)
class Span:
    """A period: its label as published, its kind and its first and last day."""

    label: str
    kind: str
    start: dt.date
    end: dt.date

    @property
    def midpoint(self) -> dt.date:
        return self.start + (self.end - self.start) / 2

    @property
    def is_single_year(self) -> bool:
        return self.kind != OTHER


@dataclass(frozen=True, slots=True)
class Publication:
    """Who published a figure, when (as precisely as known) and where."""

    id: int
    publisher: str
    title: str
    published: dt.date
    precision: str  # "day", "month" or "year"
    url: str

    @property
    def published_label(self) -> str:
        return published_label(self.published, self.precision)


def published_as_written(day: dt.date, precision: str) -> str:
    """'2025', '2025-07' or '2025-07-24': an ISO date only as precise as the publication's."""
    return day.isoformat()[: {"year": 4, "month": 7}.get(precision, 10)]


def published_label(day: dt.date, precision: str) -> str:
    """'13 April 2023', 'November 2024' or '2020': never more precise than the source."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%B %Y")
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True, slots=True)
class FigureRecord:
    id: int
    area_code: str
    area_name: str
    area_level: str
    period: Span
    offence_slug: str
    offence_name: str
    offence_in_force: dt.date | None
    measure_slug: str
    measure_name: str
    denominator_slug: str  # for a share: the measure of the count it is a share of
    unit: str
    platform_slug: str
    platform_name: str
    platform_is_grouping: bool
    platform_description: str
    value: Decimal
    qualifier: str
    coverage: str
    note: str
    status: str
    source: Publication
    release: int
    release_published: dt.date

    @property
    def is_superseded(self) -> bool:
        return self.status == STATUS_REVISION

    @property
    def is_withdrawn(self) -> bool:
        return self.status == STATUS_WITHDRAWN

    @property
    def caveats(self) -> list[str]:
        """What to know before quoting it, in sentences (stats/caveats.py): shown on its page, written in
        every download."""
        return caveats_of(self)

    @property
    def display_value(self) -> str:
        return format_value(self.value, self.unit, self.qualifier)

    @property
    def case_key(self) -> tuple[str, str, str]:
        """The same offences in the same area and period: what a share or an outcome is set against."""
        return self.area_code, self.period.label, self.offence_slug

    @property
    def months_covered(self) -> int | None:
        """For a period the offence came into force more than a month into, about how many
        months it covers (calendar 2017 from 3 April: about nine); else None."""
        in_force = self.offence_in_force
        if in_force is None or not self.period.start + MONTH < in_force <= self.period.end:
            return None
        return _months(in_force, self.period.end)

    @property
    def period_months(self) -> int:
        """About how many months the whole period spans (calendar 2017: 12)."""
        return _months(self.period.start, self.period.end)

    def fields(self) -> dict[str, object]:
        """The figure as a download row: the columns of DOWNLOAD_COLUMNS, in order."""
        return {
            "figure_id": self.id,
            "area": self.area_name,
            "area_code": self.area_code,
            "area_level": self.area_level,
            "period": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "period_kind": self.period.kind,
            "offence": self.offence_name,
            "offence_code": self.offence_slug,
            "measure": self.measure_name,
            "measure_code": self.measure_slug,
            "platform": self.platform_name,
            "platform_code": self.platform_slug,
            "value": plain_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "coverage": self.coverage,
            "status": STATUS_WORDS[self.status],
            "source_publisher": self.source.publisher,
            "source_title": self.source.title,
            "source_published": self.source.published_label,
            "source_published_date": published_as_written(self.source.published, self.source.precision),
            "source_url": self.source.url,
            "note": self.note,
            "caveats": caveats_cell(self),
            "dashboard_release": self.release,
            "dashboard_published": self.release_published.isoformat(),
            "figure_url": settings.SITE_URL + FIGURE_PATH.format(self.id),
        }

    def json_fields(self) -> dict[str, object]:
        """The same row for JSON, where the value is a number (457, 12.5), not text."""
        return {**self.fields(), "value": self.value}


@dataclass(frozen=True, slots=True)
class ForceCoverage:
    """How many police force areas have a current count for one offence, measure and single year,
    and for how many of them a rate can be given: what a map page needs to choose its period,
    without reading the figures of every period."""

    offence_slug: str
    measure_slug: str
    period: Span
    forces: int
    forces_with_rate: int


@dataclass(frozen=True, slots=True)
class OutcomeGroup:
    """One offence and period with outcome figures, and for how many areas: a view the
    outcomes page offers, counted without reading the figures."""

    offence_slug: str
    offence_name: str
    period_label: str
    areas: int


# What each download column holds; the names are a promise to people's scripts.
DOWNLOAD_COLUMNS = {
    "figure_id": "This dashboard's number for the figure.",
    "area": "The area the figure is for.",
    "area_code": "The area's ONS (GSS) code.",
    "area_level": "country, nation, region or police_force_area: what kind of area it is.",
    "period": "The period as the source labelled it.",
    "period_start": "First day covered (ISO date).",
    "period_end": "Last day covered (ISO date).",
    "period_kind": "financial_year (April to March), calendar_year or other.",
    "offence": "The offence counted.",
    "offence_code": "The offence's code on this dashboard (never changes).",
    "measure": "What is counted.",
    "measure_code": "The measure's code on this dashboard (never changes).",
    "platform": "For platform shares, the platform; otherwise empty.",
    "platform_code": "The platform's code on this dashboard, or empty.",
    "value": "The value as published, without thousands separators.",
    "unit": "count, percent or years.",
    "qualifier": "The source's precision word (about, at least...), empty when exact.",
    "coverage": "Which forces a count covers, when the source said.",
    "status": "current; earlier publication, since restated; or withdrawn (only in a withdrawn figure's own download).",
    "source_publisher": "Who published the figure.",
    "source_title": "The publication.",
    "source_published": "When it was published, in words and as precisely as known: '1 November 2024', "
    "'November 2024' or '2020'.",
    "source_published_date": "The same date as an ISO date, only as precise as the source: "
    "2024-11-01, 2024-11 or 2024.",
    "source_url": "Where to read it.",
    "note": "The source's own note on the figure, in its words.",
    "caveats": "What to know before quoting the figure, in sentences, as its page says them: a part-year "
    "(an offence that came into force part-way through), the forces covered, a value the source gave as not "
    "exact, an earlier publication since restated. Empty when there is none.",
    "dashboard_release": "The release of this dashboard that published the figure.",
    "dashboard_published": "When that release went live (ISO date).",
    "figure_url": "The figure's permanent page: its source, revisions and how to cite it.",
}


# Every change to the columns above, newest first: a script that reads them is told, never surprised.
COLUMN_CHANGES = [
    (
        "8 December 2026",
        "Added source_published_date (the publication date as an ISO date, as precise as the source: "
        "2024-11-01, 2024-11 or 2024), after source_published, which keeps the date in words; and caveats, "
        "after note, which says in sentences what the figure's page says before quoting it (a part-year, "
        "the forces covered, a value that is not exact, a restated figure). The API's figures carry the same "
        "two fields. A withdrawn figure's own download now says withdrawn in status. A release's files keep "
        "the columns they were written with, so these are in the files of releases published from this day on, "
        "and in card, figure and API downloads at once.",
    ),
    (
        "5 December 2026",
        "Added area_level, offence_code, measure_code, platform_code and figure_url. "
        "JSON downloads write value as a number (457, 12.5) rather than text.",
    ),
]


def sources_of(figures) -> list[Publication]:
    unique = {figure.source.id: figure.source for figure in figures}
    return sorted(unique.values(), key=lambda source: (source.published, source.publisher))
