"""Which figures a request asks for: the filters of /api/v1/figures and /api/v1/figures.csv,
checked against the data.

Ninja checks each parameter's type from `FigureQuery`; `select_figures` checks that the
areas, offences, measures, platforms, sources and releases named exist, and turns the
query into one of the named queryset methods. Every check is made in Python against
the known values, so no bad value ever reaches the database.
"""

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic.json_schema import SkipJsonSchema

from api.errors import BadParameter, quoted
from api.parameters import one_of
from stats.models import Figure, Geography, Measure, Offence, Platform, Release, Source
from stats.models.figures import RECORD_ORDER

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


def _written_yyyy_mm_dd(value: object) -> object:
    """Only an ISO date: pydantic would also read '0' as a Unix time, 1 January 1970."""
    if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        raise ValueError("a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_written_yyyy_mm_dd)]


class FigureFilters(Schema):
    """Which figures: shared by /figures (JSON, paged) and /figures.csv (every match in one file)."""

    geography: str | SkipJsonSchema[None] = Field(
        None,
        description="An area's ONS (GSS) code, as listed at /geographies.",
        json_schema_extra={"example": "E12000005"},
    )
    include_children: bool = Field(
        False,
        description="With geography: add the areas within it, and the areas within those, so a region "
        "brings its police force areas. Has no effect without geography.",
        json_schema_extra={"example": True},
    )
    offence: str | SkipJsonSchema[None] = Field(None, description="An offence's code, as listed at /offences.")
    measure: str | SkipJsonSchema[None] = Field(
        None,
        description="A measure's code, as listed at /measures.",
        json_schema_extra={"example": "offences-recorded"},
    )
    platform: str | SkipJsonSchema[None] = Field(None, description="A platform's code, as listed at /platforms.")
    period_from: IsoDate | SkipJsonSchema[None] = Field(
        None, description="Only periods ending on or after this day (YYYY-MM-DD)."
    )
    period_to: IsoDate | SkipJsonSchema[None] = Field(
        None, description="Only periods starting on or before this day (YYYY-MM-DD)."
    )
    source: Annotated[int, Field(ge=1)] | SkipJsonSchema[None] = Field(
        None, description="A source's id, as listed at /sources."
    )
    revisions: Literal["current", "all"] = Field(
        "current",
        description="current: one figure per series, the latest publication. all: also the earlier publications "
        "kept as revisions when a later source restated a figure. Withdrawn figures are never listed.",
    )
    as_of_release: Annotated[int, Field(ge=1)] | SkipJsonSchema[None] = Field(
        None,
        description="The data exactly as it stood right after this release, as listed at /releases. "
        "It never changes, so a citation of it stays true.",
    )


class FigureQuery(FigureFilters):
    page: int = Field(1, ge=1, description="Which page, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Figures per page, at most {MAX_PAGE_SIZE}."
    )


def latest_release_number() -> int | None:
    return Release.objects.order_by("-number").values_list("number", flat=True).first()


def select_figures(query: FigureFilters):
    """The figures asked for, in the stable order, and the release their data stands at."""
    standing_at = latest_release_number()
    figures = _by_release_and_revisions(query, standing_at)
    if query.as_of_release is not None:
        standing_at = query.as_of_release
    if query.geography is not None:
        figures = figures.filter(geography__code__in=_areas(query.geography, query.include_children))
    for parameter, model in (("offence", Offence), ("measure", Measure), ("platform", Platform)):
        slug = getattr(query, parameter)
        if slug is not None:
            one_of(parameter, slug, model.objects.order_by("slug").values_list("slug", flat=True))
            figures = figures.filter(**{f"{parameter}__slug": slug})
    if query.source is not None:
        one_of("source", query.source, Source.objects.order_by("pk").values_list("pk", flat=True))
        figures = figures.filter(source_id=query.source)
    if query.period_from is not None:
        figures = figures.filter(period__end__gte=query.period_from)
    if query.period_to is not None:
        figures = figures.filter(period__start__lte=query.period_to)
    return figures, standing_at


def _by_release_and_revisions(query: FigureFilters, latest: int | None):
    number = query.as_of_release
    if number is None:
        figures = Figure.objects.current() if query.revisions == "current" else Figure.objects.published()
        return figures.order_by(*RECORD_ORDER)
    if latest is None or number > latest:
        allowed = f"a whole number from 1 to {latest}" if latest else "none: no release has been published yet"
        raise BadParameter("as_of_release", f"There is no release {quoted(number)}.", allowed)
    if query.revisions == "current":
        return Figure.objects.current_after(number)
    return Figure.objects.as_of(number).order_by(*RECORD_ORDER)


def _areas(code: str, include_children: bool) -> list[str]:
    """The area, and with include_children every area within it, however deep: one query."""
    parents = dict(Geography.objects.values_list("code", "parent__code"))
    one_of("geography", code, sorted(parents))
    if not include_children:
        return [code]
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found, waiting = [], [code]
    while waiting:
        area = waiting.pop()
        found.append(area)
        waiting += children.get(area, [])
    return found
