"""The API's errors: always JSON, saying what was wrong, which parameter, and what it accepts.

A bad parameter is a 400 naming the parameter and its allowed values, whether ninja's own
type checks caught it (a page that is not a number) or ours did (an offence we do not
know). Ninja's default 422 never reaches a client.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from dashboard.site_url import absolute_url

QUOTED_MAX = 40  # characters of a bad value quoted back: enough to recognise, never a whole pasted file

Allowed = list[str] | list[int] | str


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str, allowed: Allowed) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.allowed = allowed


def quoted(value: object) -> str:
    text = str(value)
    return f"\u2018{text[:QUOTED_MAX]}\u2026\u2019" if len(text) > QUOTED_MAX else f"\u2018{text}\u2019"


def error_body(message: str, *, parameter: str | None = None, allowed=None) -> dict:
    return {
        "error": message,
        "parameter": parameter,
        "allowed": allowed,
        "docs": absolute_url(reverse("api_docs")),
    }


def bad_parameter_response(request: HttpRequest, error: BadParameter) -> JsonResponse:
    body = error_body(error.message, parameter=error.parameter, allowed=error.allowed)
    return JsonResponse(body, status=400)


def not_found_response(request: HttpRequest, message: str) -> JsonResponse:
    return JsonResponse(error_body(message), status=404)


def method_not_allowed_response(request: HttpRequest, allowed: str) -> JsonResponse:
    response = JsonResponse(error_body(f"The API is read-only: it answers {allowed} only."), status=405)
    response["Allow"] = allowed
    return response


def too_many_requests_response(request: HttpRequest, limit: int, window: int, wait: int) -> JsonResponse:
    message = (
        f"Too many requests: the fair-use limit is {limit} requests every {window} seconds from one address. "
        f"Try again in {wait} seconds, or download the whole data set as one file."
    )
    response = JsonResponse(error_body(message), status=429)
    response["Retry-After"] = str(wait)
    return response
