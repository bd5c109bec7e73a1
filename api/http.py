"""What every API answer shares: open CORS for reading, caching until the next release,
conditional requests, the fair-use limit and JSON errors for paths we do not have.

`public_api` wraps each of the API's URL patterns (api/urls.py), so ninja's operations,
its OpenAPI document and our JSON 404s all behave alike. Bad parameters and missing
records are answered before any 304: a precondition never hides an error (RFC 9110, 13.2.1).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from api import fair_use
from api.errors import method_not_allowed_response, not_found_response, too_many_requests_response
from stats.models import Release

METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW = ", ".join(METHODS)
# The data changes only with a release; five minutes' staleness is the promise we make.
CACHE_CONTROL = "public, max-age=300, s-maxage=300, stale-while-revalidate=60"
# Answers that depend only on the published data, so any cache may keep them until the next release.
CACHEABLE = (200, 400, 404)
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": ALLOW,
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Cache-Control, If-Modified-Since, If-None-Match",
    "Access-Control-Max-Age": "86400",
    "Allow": ALLOW,
}

View = Callable[..., HttpResponse]


def public_api(view: View) -> View:
    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in METHODS:
            return _open_to_all_sites(method_not_allowed_response(request, ALLOW))
        if request.method == "OPTIONS":
            return _open_to_all_sites(_preflight())
        wait = fair_use.seconds_to_wait(request)
        if wait is not None:
            limit, window = fair_use.limit_and_window()
            response = too_many_requests_response(request, limit, window, wait)
            response["Cache-Control"] = "no-store"
            return _open_to_all_sites(response)
        response = _answer_head_as_get(view, request, *args, **kwargs)
        if response.status_code in CACHEABLE:
            response = _cached_until_the_next_release(request, response)
        return _open_to_all_sites(response)

    # Read by dashboard/middleware.py: this view answers odd methods and odd paths itself, in JSON.
    answer.answers_for_itself = True
    return answer


def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any path under /api/ that we do not have."""
    return not_found_response(request, f"There is nothing at {request.path}. The documentation lists every address.")


def _answer_head_as_get(view: View, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """HEAD is GET without the body (`curl -I`); the server leaves the body out, we keep its length."""
    head = request.method == "HEAD"
    if head:
        request.method = "GET"
    try:
        response = view(request, *args, **kwargs)
    except Http404:
        response = not_found(request)
    finally:
        if head:
            request.method = "HEAD"
    return response


def _cached_until_the_next_release(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ETag and Last-Modified from the latest release, so a client can ask "changed since?" and get a 304.

    The ETag also carries a digest of the body: an answer that did not change in a release
    keeps its tag, and one changed by a deploy between releases gets a new one.
    """
    latest = Release.objects.order_by("-number").values_list("number", "published_at").first()
    number, published_at = latest or (0, None)
    digest = hashlib.sha256(response.content).hexdigest()[:16]
    response["ETag"] = f'"{number}-{digest}"'
    response["Cache-Control"] = CACHE_CONTROL
    if published_at is not None:
        response["Last-Modified"] = http_date(published_at.timestamp())
    if response.status_code != 200:
        return response
    last_modified = int(published_at.timestamp()) if published_at else None
    return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no body, so no type (Django would say text/html)
    for header, value in PREFLIGHT_HEADERS.items():
        response[header] = value
    return response


def _open_to_all_sites(response: HttpResponse) -> HttpResponse:
    """Anyone may read the data from a web page on any site: there are no credentials to leak."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    return response
