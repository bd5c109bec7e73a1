"""The "service unavailable" page: what a visitor gets when the database does not answer and
the page they asked for is not in the cache, and on any server error (status 500). It must
never need the database itself, so it is built from the templates and the reporting routes
shipped with the code, and still offers the quick exit and the most urgent ways to get help.

The same page is written as a file for nginx to send when no app server answers at all
(dashboard/outage_page.py): one template, rendered here for both.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

from stats.seeding import shipped_routes

# The list, most urgent first: emergency, police, CEOP, then the two helplines.
URGENT_ROUTES = ("police-emergency", "police-non-emergency", "ceop", "childline", "nspcc-helpline")
RETRY_AFTER_SECONDS = 30


@functools.cache
def _urgent_routes() -> list:
    by_key = {route.key: route for route in shipped_routes()}
    return [by_key[key] for key in URGENT_ROUTES if key in by_key]


def unavailable_page(request: HttpRequest) -> str:
    # No context processors: they may read the session, which lives in the database.
    context = {"request": request, "quick_exit_url": settings.QUICK_EXIT_URL, "routes": _urgent_routes()}
    return get_template("unavailable.html").render(context)


def unavailable_response(request: HttpRequest, status: int = 503) -> HttpResponse:
    response = HttpResponse(unavailable_page(request), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # An outage is logged once, when it starts (dashboard/database_watch.py), not by Django
        # for every visitor who meets it.
        response._has_been_logged = True
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: the same page, so an error of ours still leaves a way to help.
    The error itself is logged with the request's id (settings.LOGGING), never shown."""
    return unavailable_response(request, status=500)


def unavailable_page_for_proxy() -> str:
    """The page as nginx sends it when no app server answers: there is no visitor's request to
    render it for, so it is rendered for the site's own home address (SITE_URL), from which its
    canonical link and link preview image take their absolute addresses."""
    return unavailable_page(_SiteHomeRequest(settings.SITE_URL))


class _SiteHomeRequest(HttpRequest):
    """A GET of SITE_URL's home page, standing in for a visitor's request. Its host is our own
    setting rather than a visitor's header, so it is not checked against ALLOWED_HOSTS (which
    is empty where the file may be written, such as an image build)."""

    def __init__(self, site_url: str) -> None:
        super().__init__()
        address = urlsplit(site_url)
        self.method = "GET"
        self.path = self.path_info = "/"
        self._site_scheme, self._site_host = address.scheme, address.netloc

    def _get_scheme(self) -> str:
        return self._site_scheme

    def get_host(self) -> str:
        return self._site_host
