"""The API's documentation page at /api/, rendered on the server from the OpenAPI document.

Nothing here describes an endpoint by hand: paths, parameters, allowed values, examples
and response fields all come from the document the API serves, so the page cannot fall
behind the code. The page needs no JavaScript.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from api import fair_use
from api.http import CACHE_CONTROL
from api.parameters import allowed_by_schema
from api.v1 import v1
from dashboard.site_url import absolute_url

LAUNCHED = "5 December 2026"
# Every addition to version 1, newest first (nothing in it is ever removed or renamed).
CHANGES = [
    (
        "8 December 2026",
        "Added the index of every address at /api/v1/, and /figures.csv: the figures of /figures, for the same "
        "filters, as one CSV file. Figures gained caveats (what to know before quoting one, as its page says).",
    ),
]
# The CSV example for a script: one police force area (West Midlands Police), small enough to read.
CSV_EXAMPLE_QUERY = "geography=E23000014"
FIELD_DEPTH = 3  # figures nest one list deep; this is room to spare, and a stop for a schema that refers to itself


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    default: object
    allowed: list | str
    description: str

    @property
    def allowed_values(self) -> list:
        return self.allowed if isinstance(self.allowed, list) else []

    @property
    def allowed_in_words(self) -> str:
        return self.allowed if isinstance(self.allowed, str) else ""


@dataclass
class ResponseField:
    name: str
    type: str
    description: str


@dataclass
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: list[Parameter]
    example: str
    fields: list[ResponseField]
    statuses: list[tuple[str, str]] = field(default_factory=list)


def docs_page(request: HttpRequest) -> HttpResponse:
    document = v1.get_openapi_schema()
    limit, window = fair_use.limit_and_window()
    base_url = absolute_url(reverse("api_v1:api-root")).rstrip("/")
    return render(
        request,
        "api/docs.html",
        {
            "operations": _operations(document),
            "openapi_url": absolute_url(reverse("api_v1:openapi-json")),
            "base_url": base_url,
            "csv_example_url": f"{base_url}/figures.csv?{CSV_EXAMPLE_QUERY}",
            "limit": limit,
            "window": window,
            "cache_control": CACHE_CONTROL,
            "launched": LAUNCHED,
            "changes": CHANGES,
        },
    )


def _operations(document: dict) -> list[Operation]:
    components = document.get("components", {}).get("schemas", {})
    found = []
    for route, methods in document["paths"].items():
        for method, details in methods.items():
            parameters = [_parameter(p) for p in details.get("parameters", [])]
            ok = details["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
            found.append(
                Operation(
                    id=details["operationId"],
                    method=method.upper(),
                    path=route,
                    summary=details.get("summary", ""),
                    description=details.get("description", ""),
                    tag=(details.get("tags") or [""])[0],
                    parameters=parameters,
                    example=_example(route, details.get("parameters", [])),
                    fields=list(_fields(ok, components, prefix="", depth=FIELD_DEPTH)),
                    statuses=[(status, response["description"]) for status, response in details["responses"].items()],
                )
            )
    return found


def _parameter(parameter: dict) -> Parameter:
    schema = parameter["schema"]
    return Parameter(
        name=parameter["name"],
        where=parameter["in"],
        required=parameter.get("required", False),
        default=schema.get("default"),
        allowed=allowed_by_schema(schema),
        description=parameter.get("description", ""),
    )


def _example(route: str, parameters: list[dict]) -> str:
    """A request a reader can paste: the path's parameters and the query's examples, as documented."""
    query = {}
    for parameter in parameters:
        example = parameter.get("example", parameter["schema"].get("example"))
        if example is None:
            continue
        text = str(example).lower() if isinstance(example, bool) else str(example)
        if parameter["in"] == "path":
            route = route.replace("{" + parameter["name"] + "}", text)
        else:
            query[parameter["name"]] = text
    url = absolute_url(route) + (f"?{urlencode(query)}" if query else "")
    return f"curl '{url}'"


def _fields(schema: dict, components: dict, *, prefix: str, depth: int):
    """The response's fields as dotted names (results[].value), each with its type and description."""
    schema = _resolved(schema, components)
    for name, details in schema.get("properties", {}).items():
        details = _resolved(details, components)
        yield ResponseField(f"{prefix}{name}", _type_of(details, components), details.get("description", ""))
        item = _resolved(details.get("items", {}), components)
        if depth > 1 and "properties" in item:
            yield from _fields(item, components, prefix=f"{prefix}{name}[].", depth=depth - 1)


def _resolved(schema: dict, components: dict) -> dict:
    reference = schema.get("$ref")
    if reference:
        return components.get(reference.rsplit("/", 1)[-1], {})
    return schema


TYPE_NAMES = {
    "integer": "whole number",
    "number": "number",
    "string": "text",
    "boolean": "true or false",
    "null": "null",
    "object": "object",
}
FORMAT_NAMES = {"date": "date (YYYY-MM-DD)", "date-time": "date and time (ISO 8601)"}


def _type_of(schema: dict, components: dict) -> str:
    if "anyOf" in schema:
        names = []
        for option in schema["anyOf"]:
            name = _type_of(_resolved(option, components), components)
            if name not in names:
                names.append(name)
        if names == ["whole number", "number"]:
            return "number"  # a count is whole, a percentage need not be: both are JSON numbers
        return " or ".join(names)
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_type_of(_resolved(schema.get('items', {}), components), components)}"
    if "properties" in schema:
        return "object"
    return FORMAT_NAMES.get(schema.get("format"), TYPE_NAMES.get(schema.get("type"), "any"))
