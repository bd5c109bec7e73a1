"""What the API answers with. The OpenAPI document is generated from these classes.

A figure is the download row (`FigureRecord.fields()`, described by DOWNLOAD_COLUMNS, its
caveats and ISO publication date included) with a few additions for programs: its status as
a code, its source's id and its permalink. The figure schema is built from DOWNLOAD_COLUMNS, so the API and the CSV can
never drift apart.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import create_model

from api.errors import Allowed
from dashboard.site_url import absolute_url
from stats.numbers import plain_number
from stats.records import DOWNLOAD_COLUMNS, FigureRecord

FigureStatus = Literal["current", "revision", "withdrawn"]


def json_number(value: Decimal) -> int | float:
    """The download's number (457, not 457.00; 12.5 stays 12.5) as a JSON number."""
    text = plain_number(value)
    return float(text) if "." in text else int(text)


# Columns whose values are not text.
_COLUMN_TYPES = {"figure_id": int, "value": int | float, "dashboard_release": int}
# What the API adds to, or says differently from, the download row.
_API_FIELDS = {
    "value": (int | float, Field(description="The value as published: a whole number for counts, else a number.")),
    "status": (
        FigureStatus,
        Field(
            description="current; revision (an earlier publication, since restated, kept beside the current one); "
            "or withdrawn (replaced by a correction or withdrawn with its release; only ever answered at "
            "/figures/{figure_id})."
        ),
    ),
    "withdrawn": (bool, Field(description="True if the figure has been withdrawn.")),
    "source_id": (int, Field(description="The source's id: filter figures by it, or find it in /sources.")),
    "permalink": (str, Field(description="The figure's permanent page on this site, as an absolute address.")),
}

Figure = create_model(
    "Figure",
    __base__=Schema,
    __doc__="One published figure with everything needed to cite it.",
    **{
        **{name: (_COLUMN_TYPES.get(name, str), Field(description=text)) for name, text in DOWNLOAD_COLUMNS.items()},
        **_API_FIELDS,
    },
)


def figure_out(record: FigureRecord) -> dict:
    return {
        **record.fields(),
        "value": json_number(record.value),
        "status": record.status,
        "withdrawn": record.status == "withdrawn",
        "source_id": record.source.id,
        "permalink": absolute_url(reverse("figure", args=[record.id])),
    }


class Endpoint(Schema):
    operation_id: str = Field(description="The operation's name in the OpenAPI document.")
    method: str = Field(description="GET: the API is read-only.")
    path: str = Field(description="The path; a {name} in it is a path parameter, such as {figure_id}.")
    url: str = Field(description="The same as an absolute address.")
    summary: str = Field(description="What it answers with, in words.")


class ApiIndex(Schema):
    """Where to start: every address of version 1, and where its documentation is."""

    title: str
    version: str
    docs: str = Field(description="The documentation for people.")
    openapi: str = Field(description="The OpenAPI 3 document, for programs.")
    bulk_downloads: str = Field(description="Every current figure as one CSV or JSON file, for each release.")
    endpoints: list[Endpoint] = Field(description="Every operation, in the order the documentation lists them.")


class FigurePage(Schema):
    """One page of figures, in a stable order: by period, then area, offence, measure and platform."""

    count: int = Field(description="How many figures match, on all pages.")
    page: int = Field(description="This page's number, from 1.")
    pages: int = Field(description="How many pages there are (at least 1).")
    page_size: int = Field(description="Figures per page.")
    next: str | None = Field(description="The next page's address, or null on the last page.")
    previous: str | None = Field(description="The previous page's address, or null on the first page.")
    as_of_release: int | None = Field(
        description="The release the data stands at: the one asked for, else the latest (null before any release)."
    )
    results: list[Figure] = Field(description="The figures on this page.")  # type: ignore[valid-type]


class Release(Schema):
    """A numbered release: the only way figures change on this dashboard."""

    number: int = Field(description="Releases are numbered 1, 2, 3 with no gaps.")
    published_at: dt.datetime = Field(description="When it went live on this dashboard.")
    kind: Literal["seed", "baseline", "upload", "correction", "withdrawal"] = Field(
        description="Data shipped with the dashboard (seed), data already here when numbering began (baseline), "
        "an upload, a correction, or the withdrawal of an earlier release."
    )
    summary: str = Field(description="One line saying what changed.")
    reason: str = Field(description="Why a correction or withdrawal was made; empty otherwise.")
    figures_added: int
    figures_revised: int = Field(description="Figures kept as revisions because this release restated them.")
    figures_withdrawn: int
    estimates_added: int = Field(description="Population estimates added (used for rates per 10,000 children).")
    estimates_revised: int
    estimates_withdrawn: int
    withdrawn: bool = Field(description="True if a later release withdrew this one.")
    withdrawn_by: int | None = Field(description="The release that withdrew this one, if any.")
    withdraws: int | None = Field(description="For a withdrawal, the release it withdrew.")


class ReleaseList(Schema):
    count: int
    results: list[Release]


class Geography(Schema):
    code: str = Field(description="The ONS (GSS) code.")
    name: str
    level: Literal["country", "nation", "region", "police_force_area"]
    parent_code: str | None = Field(description="The area it is part of; null for the United Kingdom.")
    children_codes: list[str] = Field(description="The areas directly within it.")


class GeographyList(Schema):
    count: int
    results: list[Geography]


class Offence(Schema):
    code: str = Field(description="The offence's code: use it as the offence parameter of /figures.")
    name: str
    description: str
    legal_basis: str
    in_force: dt.date | None = Field(description="When the offence began, if it began within the data.")
    home_office_code: str = Field(description="The Home Office crime classification code, if any.")


class OffenceList(Schema):
    count: int
    results: list[Offence]


class Measure(Schema):
    code: str = Field(description="The measure's code: use it as the measure parameter of /figures.")
    name: str
    unit: Literal["count", "percent", "years"]
    description: str
    per_platform: bool = Field(description="True if its figures each name a platform.")
    denominator_code: str | None = Field(description="For a percentage: the measure of the count it is a share of.")


class MeasureList(Schema):
    count: int
    results: list[Measure]


class Platform(Schema):
    code: str = Field(description="The platform's code: use it as the platform parameter of /figures.")
    name: str
    is_grouping: bool = Field(description="True for a group of apps as a source reported them (Meta-owned apps).")
    description: str
    safety_url: str = Field(description="The platform's own safety advice for families, if known.")


class PlatformList(Schema):
    count: int
    results: list[Platform]


class Source(Schema):
    id: int = Field(description="Use it as the source parameter of /figures.")
    publisher: str
    title: str
    published: str = Field(description="An ISO date only as precise as the publication: YYYY, YYYY-MM or YYYY-MM-DD.")
    published_label: str = Field(description="The same date in words: '13 April 2023', 'November 2024' or '2020'.")
    url: str = Field(description="Where to read it; empty if it is not online.")
    coverage: str = Field(description="What it covers, when it said, e.g. '44 UK forces (all but Lincolnshire)'.")


class SourceList(Schema):
    count: int
    results: list[Source]


class PlaceMatch(Schema):
    area_code: str = Field(description="The ONS (GSS) code of the police force area (or nation) it leads to.")
    area_name: str
    area_level: Literal["country", "nation", "region", "police_force_area"]
    matched: str = Field(description="What matched, in words: 'Newport \u2014 Isle of Wight', 'Most of SY10'.")
    council: str = Field(description="The council the place or postcode is in, where one is known; else empty.")
    share_percent: float | None = Field(
        description="For a postcode district or sector: the per cent of its postcodes this force covers."
    )


class PlaceSearch(Schema):
    query: str = Field(description="The query as searched: invisible characters dropped, at most 100 characters.")
    kind: Literal["empty", "postcode", "sector", "district", "name"]
    postcode: str | None = Field(description="The postcode, sector or district as written by Royal Mail.")
    outside: str = Field(description="Where a postcode outside the UK's police force areas is (Jersey...), else empty.")
    said: str = Field(description="One sentence for a person: the answer, or what to try instead.")
    count: int
    results: list[PlaceMatch] = Field(description="Biggest share first for a postcode; best match first for a name.")


class Error(Schema):
    """Every error: what went wrong in words and, for a bad parameter, which one and what it accepts."""

    error: str = Field(description="What went wrong, in plain English.")
    parameter: str | None = Field(description="The parameter that was wrong, for a 400; else null.")
    allowed: Allowed | None = Field(
        description="What the parameter accepts: a list of values, or a description such as "
        "'a whole number from 1 to 1000'; else null."
    )
    docs: str = Field(description="The API's documentation.")
