"""Checking query parameters, and saying in words what each one accepts.

`allowed_by_schema` reads a parameter's JSON schema from the OpenAPI document: the 400
for a bad value and the documentation page describe it from the same place.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from api.errors import Allowed, BadParameter, quoted


def allowed_by_schema(schema: dict) -> Allowed:
    """A parameter's allowed values: a list where they can be listed, else a description."""
    if "enum" in schema:
        return list(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return ["true", "false"]
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        return f"a whole number, {low} or more" if low is not None else "a whole number"
    if schema.get("format") == "date":
        return "a date written YYYY-MM-DD"
    return "text"


def refuse_unknown_or_repeated(request: HttpRequest, known: Iterable[str]) -> None:
    """A misspelt parameter would otherwise be ignored, and the answer silently cover everything."""
    known = sorted(known)
    for name in request.GET:
        if name not in known:
            message = (
                f"{quoted(name)} is not a parameter here."
                if known
                else f"This address takes no parameters, but was given {quoted(name)}."
            )
            raise BadParameter(name, message, known)
        if len(request.GET.getlist(name)) > 1:
            raise BadParameter(
                name, f"Give {name} once: it was given {len(request.GET.getlist(name))} times.", "one value"
            )


def one_of(parameter: str, value: str, known: Iterable) -> None:
    known = list(known)
    if value not in known:
        raise BadParameter(parameter, f"{quoted(value)} is not a known {parameter}.", known)
