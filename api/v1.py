"""Version 1 of the public read-only API, on django-ninja: the operations and their errors.

Each operation reads like a page view: check the parameters, take the data from a named
queryset method, answer with the schemas of api/schemas.py. Figures are always built
from typed records (`.records()`), in a fixed number of queries whatever their number.
"""

from functools import cache
from math import ceil

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError
from ninja.responses import Status

from api import openapi, schemas
from api.errors import BadParameter, bad_parameter_response, error_body, not_found_response, quoted
from api.figure_filters import FigureFilters, FigureQuery, select_figures
from api.parameters import allowed_by_schema, refuse_unknown_or_repeated
from api.places import search_answer
from dashboard.downloads import disposition
from dashboard.site_url import absolute_url
from stats.file_formats import csv_lines
from stats.models import (
    FIGURE_ID_MAX,
    RELEASE_NUMBER_MAX,
    Figure,
    Geography,
    Measure,
    Offence,
    Platform,
    Release,
    Source,
)
from stats.place_search import find_areas
from stats.records import DOWNLOAD_COLUMNS

DESCRIPTION = (
    "Read-only figures on online child-grooming crime in the UK, each with its source. "
    "Free to use under the fair-use limit; no key needed. "
    f"Documentation for people: {settings.SITE_URL}/api/"
)
# Every answer may be these; each operation adds its own 200 (and 404 where it looks one record up).
COMMON = {304: None, 400: schemas.Error, 412: None, 429: schemas.Error}
CSV_TYPE = "text/csv; charset=utf-8"


class PublicApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The document as served: ninja's, completed with the values the data allows today."""
        return openapi.complete(self.generated_schema(path_prefix=path_prefix, path_params=path_params))

    def generated_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's document alone, from the code: no database needed."""
        return super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)


v1 = PublicApi(
    title="Online child grooming crime in the UK",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api_v1",
    docs_url=None,  # ninja's Swagger page loads scripts our CSP forbids; /api/ documents the API instead
    openapi_url="/openapi.json",
    openapi_extra={"externalDocs": {"description": "How to use the API", "url": f"{settings.SITE_URL}/api/"}},
)


# Errors ------------------------------------------------------------------------------------------


@cache
def _parameter_schemas() -> dict[str, dict]:
    """Every parameter's schema by name, from the generated document (names mean one thing everywhere)."""
    return {
        parameter["name"]: parameter["schema"]
        for operations in v1.generated_schema(path_prefix="").get("paths", {}).values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
    }


@v1.exception_handler(ValidationError)
def _invalid_parameter(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    """Ninja's type checks failed: a 400 naming the parameter and what it accepts, never a 422."""
    problem = exc.errors[0]
    # The location reads like ("query", "period_from", "date"): the place, the parameter, the type tried.
    name = next((str(part) for part in problem["loc"] if part in _parameter_schemas()), str(problem["loc"][-1]))
    allowed = allowed_by_schema(_parameter_schemas().get(name, {}))
    given = (request.GET if problem["loc"][0] == "query" else request.resolver_match.kwargs).get(name, "")
    wanted = ", ".join(allowed) if isinstance(allowed, list) else allowed
    message = f"{name} must be {'one of ' if isinstance(allowed, list) else ''}{wanted}; it was {quoted(given)}."
    return JsonResponse(error_body(message, parameter=name, allowed=allowed), status=400)


@v1.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> JsonResponse:
    return bad_parameter_response(request, exc)


@v1.exception_handler(TooManyFieldsSent)
def _too_many_parameters(request: HttpRequest, exc: TooManyFieldsSent) -> JsonResponse:
    """Django reads no more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters; past that, Django's own 400 would be HTML."""
    message = "This request has too many parameters to read. The documentation lists the few each address takes."
    return JsonResponse(error_body(message), status=400)


@v1.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    return not_found_response(request, str(exc) or "There is nothing at this address.")


# Index -------------------------------------------------------------------------------------------


@v1.get(
    "/",
    response={200: schemas.ApiIndex, **COMMON},
    operation_id="api_index",
    # Ninja's own root pattern (a 404 naming its docs page) has this name and address, and comes after:
    # this answers in its place, and every reverse("api_v1:api-root") still gives /api/v1/.
    url_name="api-root",
    tags=["About the API"],
    summary="Every address of the API",
)
def index(request: HttpRequest):
    """Where to start: each operation's address (a {name} in it is a path parameter), the
    documentation, the OpenAPI document and the bulk downloads."""
    refuse_unknown_or_repeated(request, ())
    return {
        "title": v1.title,
        "version": v1.version,
        "docs": absolute_url(reverse("api_docs")),
        "openapi": absolute_url(reverse("api_v1:openapi-json")),
        "bulk_downloads": absolute_url(reverse("data")),
        "endpoints": [{**endpoint, "url": absolute_url(endpoint["path"])} for endpoint in _endpoints()],
    }


@cache
def _endpoints() -> list[dict]:
    """Each operation of the generated document (no database needed), in the document's order."""
    return [
        {
            "operation_id": operation["operationId"],
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
        }
        for path, operations in v1.generated_schema().get("paths", {}).items()
        for method, operation in operations.items()
    ]


# Figures -----------------------------------------------------------------------------------------


@v1.get(
    "/figures",
    response={200: schemas.FigurePage, 404: schemas.Error, **COMMON},
    operation_id="list_figures",
    tags=["Figures"],
    summary="Figures, filtered and paged",
)
def figures(request: HttpRequest, query: Query[FigureQuery]):
    """Published figures, each with its source, the release that published it and its permalink.
    By default the current figure of each series, as it stands now."""
    refuse_unknown_or_repeated(request, FigureQuery.model_fields)
    selected, standing_at = select_figures(query)
    count = selected.count()
    pages = max(1, ceil(count / query.page_size))
    if query.page > pages:
        message = f"There is no page {query.page}: these figures fill {pages} page{'s' if pages > 1 else ''}."
        return Status(404, error_body(message, parameter="page", allowed=f"a whole number from 1 to {pages}"))
    start = (query.page - 1) * query.page_size
    records = selected[start : start + query.page_size].records()
    return {
        "count": count,
        "page": query.page,
        "pages": pages,
        "page_size": query.page_size,
        "next": _page_link(request, query.page + 1) if query.page < pages else None,
        "previous": _page_link(request, query.page - 1) if query.page > 1 else None,
        "as_of_release": standing_at,
        "results": [schemas.figure_out(record) for record in records],
    }


@v1.get(
    "/figures/{figure_id}",
    response={200: schemas.Figure, 404: schemas.Error, **COMMON},
    operation_id="get_figure",
    tags=["Figures"],
    summary="One figure, by its permanent number",
)
def figure(
    request: HttpRequest,
    figure_id: int = Path(..., ge=1, le=FIGURE_ID_MAX, description="The figure's number.", example=1),
):
    """One figure, current or not: a withdrawn figure is still answered, marked withdrawn,
    because its permalink is permanent."""
    refuse_unknown_or_repeated(request, ())
    records = Figure.objects.filter(pk=figure_id).records()
    if not records:
        return Status(404, error_body(f"There is no figure {figure_id}."))
    return schemas.figure_out(records[0])


@v1.get(
    "/figures.csv",
    response={400: schemas.Error, **COMMON},
    operation_id="list_figures_csv",
    tags=["Figures"],
    summary="Figures, filtered, as one CSV file",
    openapi_extra={
        "responses": {
            200: {
                "description": "OK.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def figures_csv(request: HttpRequest, query: Query[FigureFilters]):
    """The figures /figures would list for the same filters, every one of them in one file (no
    pages), with the columns of the open data file /data/figures.csv: UTF-8 with a byte-order
    mark, ISO dates, each figure's caveats. For every current figure at once, the open data file
    is the same and can be cached for longer."""
    refuse_unknown_or_repeated(request, FigureFilters.model_fields)
    selected, standing_at = select_figures(query)
    lines = csv_lines(list(DOWNLOAD_COLUMNS), (record.fields() for record in selected.iter_records()))
    response = HttpResponse("".join(lines), content_type=CSV_TYPE)
    as_of = f"-release-{standing_at}" if standing_at else ""
    response["Content-Disposition"] = disposition(f"online-grooming-figures{as_of}.csv")
    return response


def _page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return absolute_url(f"{request.path}?{query.urlencode()}")


# Releases ----------------------------------------------------------------------------------------


@v1.get(
    "/releases",
    response={200: schemas.ReleaseList, **COMMON},
    operation_id="list_releases",
    tags=["Releases"],
    summary="Every release, newest first",
)
def releases(request: HttpRequest):
    """Every change to the figures is a numbered release: what it changed, when and why."""
    refuse_unknown_or_repeated(request, ())
    results = [_release_out(release) for release in Release.objects.select_related("withdrawn_by")]
    return {"count": len(results), "results": results}


@v1.get(
    "/releases/{number}",
    response={200: schemas.Release, 404: schemas.Error, **COMMON},
    operation_id="get_release",
    tags=["Releases"],
    summary="One release",
)
def release(
    request: HttpRequest,
    number: int = Path(..., ge=1, le=RELEASE_NUMBER_MAX, description="The release's number.", example=1),
):
    refuse_unknown_or_repeated(request, ())
    found = Release.objects.select_related("withdrawn_by").filter(number=number).first()
    if found is None:
        return Status(404, error_body(f"There is no release {number}."))
    return _release_out(found)


def _release_out(release: Release) -> dict:
    withdrawn_by = getattr(release, "withdrawn_by", None)  # selected with the release: no query
    return {
        "number": release.number,
        "published_at": release.published_at,
        "kind": release.kind,
        "summary": release.summary,
        "reason": release.reason,
        "figures_added": release.figures_added,
        "figures_revised": release.figures_revised,
        "figures_withdrawn": release.figures_withdrawn,
        "estimates_added": release.estimates_added,
        "estimates_revised": release.estimates_revised,
        "estimates_withdrawn": release.estimates_withdrawn,
        "withdrawn": withdrawn_by is not None,
        "withdrawn_by": withdrawn_by.number if withdrawn_by else None,
        "withdraws": release.withdraws_id,  # a release's number is its key
    }


# Reference data ----------------------------------------------------------------------------------


@v1.get(
    "/geographies",
    response={200: schemas.GeographyList, **COMMON},
    operation_id="list_geographies",
    tags=["Reference data"],
    summary="Areas: the UK, nations, regions and police force areas",
)
def geographies(request: HttpRequest):
    refuse_unknown_or_repeated(request, ())
    areas = list(Geography.objects.order_by("code").values("code", "name", "level", "parent__code"))
    children: dict[str, list[str]] = {}
    for area in areas:
        children.setdefault(area["parent__code"], []).append(area["code"])
    results = [
        {**area, "parent_code": area.pop("parent__code"), "children_codes": children.get(area["code"], [])}
        for area in areas
    ]
    return {"count": len(results), "results": results}


@v1.get(
    "/offences",
    response={200: schemas.OffenceList, **COMMON},
    operation_id="list_offences",
    tags=["Reference data"],
    summary="Offences: what each figure's crime is",
)
def offences(request: HttpRequest):
    refuse_unknown_or_repeated(request, ())
    results = [
        {
            "code": offence.slug,
            **{name: getattr(offence, name) for name in schemas.Offence.model_fields if name != "code"},
        }
        for offence in Offence.objects.order_by("slug")
    ]
    return {"count": len(results), "results": results}


@v1.get(
    "/measures",
    response={200: schemas.MeasureList, **COMMON},
    operation_id="list_measures",
    tags=["Reference data"],
    summary="Measures: what each figure counts",
)
def measures(request: HttpRequest):
    refuse_unknown_or_repeated(request, ())
    results = [
        {
            "code": measure.slug,
            "name": measure.name,
            "unit": measure.unit,
            "description": measure.description,
            "per_platform": measure.per_platform,
            "denominator_code": measure.denominator.slug if measure.denominator else None,
        }
        for measure in Measure.objects.select_related("denominator").order_by("slug")
    ]
    return {"count": len(results), "results": results}


@v1.get(
    "/platforms",
    response={200: schemas.PlatformList, **COMMON},
    operation_id="list_platforms",
    tags=["Reference data"],
    summary="Platforms named in platform shares",
)
def platforms(request: HttpRequest):
    refuse_unknown_or_repeated(request, ())
    results = [
        {
            "code": platform.slug,
            **{name: getattr(platform, name) for name in schemas.Platform.model_fields if name != "code"},
        }
        for platform in Platform.objects.order_by("slug")
    ]
    return {"count": len(results), "results": results}


@v1.get(
    "/sources",
    response={200: schemas.SourceList, **COMMON},
    operation_id="list_sources",
    tags=["Reference data"],
    summary="Sources: every publication a figure comes from",
)
def sources(request: HttpRequest):
    refuse_unknown_or_repeated(request, ())
    results = [
        {
            "id": source.pk,
            "publisher": source.publisher,
            "title": source.title,
            "published": source.published_as_written,
            "published_label": source.published_label,
            "url": source.url,
            "coverage": source.coverage,
        }
        for source in Source.objects.order_by("pk")
    ]
    return {"count": len(results), "results": results}


@v1.get(
    "/places",
    response={200: schemas.PlaceSearch, **COMMON},
    operation_id="find_places",
    tags=["Reference data"],
    summary="Find the police force area of a postcode, town, village or council",
)
def places(
    request: HttpRequest,
    q: str = Query(..., description="A postcode (or part of one), town, village or council.", example="B15 2TT"),
):
    refuse_unknown_or_repeated(request, ("q",))
    return search_answer(find_areas(q))
