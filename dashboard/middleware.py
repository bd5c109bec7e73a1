"""Security headers for every response, the one way a response may be framed by other sites,
and what the public site refuses before any view runs (odd methods, large bodies, odd paths).

The headers are set by the outermost layers of MIDDLEWARE (dashboard/settings.py): Django's
SecurityMiddleware and XFrameOptionsMiddleware, django-csp's CSPMiddleware (its policy is in
settings, CONTENT_SECURITY_POLICY) and SecurityHeadersMiddleware below. Every answer passes
through them on its way out, whoever made it: a view, the page cache or a refusal here.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

# An embedded chart is meant to sit on other people's pages; the rest of the policy stays.
EMBED_FRAME_ANCESTORS = {"frame-ancestors": ["*"]}


def framable_anywhere(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let any site show this view's responses in a frame. Only embeds use it: every other
    response keeps X-Frame-Options: DENY and frame-ancestors 'none' against clickjacking.

    It only marks the view: FramingMiddleware reads the mark from the route, so an answer
    replayed from the page cache, which keeps headers and not what a view set on its
    response, may be framed exactly when the view's own answer may."""
    view.framable_anywhere = True  # read by FramingMiddleware, and by a test listing every such route
    return view


class FramingMiddleware:
    """Lets the answers of a framable route (framable_anywhere) be framed, for the CSP and
    X-Frame-Options middlewares outside it to read. It sits below the refusals, so a 405 or
    413 is never framable, and above the page cache, so a cached embed is framable too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _route_is_framable(request):
            response._csp_replace = EMBED_FRAME_ANCESTORS  # as django-csp's csp_replace decorator does
            response.xframe_options_exempt = True  # as Django's xframe_options_exempt decorator does
        return response


def _route_is_framable(request: HttpRequest) -> bool:
    # A cached page never reaches its view, so the route is resolved here (about 15 µs).
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "framable_anywhere", False)


class ClientAddressMiddleware:
    """Behind nginx or a load balancer, REMOTE_ADDR is the proxy's own address, so the fair-use
    counts (the API's and the contact form's, api/fair_use.py) and the admin's login throttling
    would count every visitor as one. When the request comes from a proxy we trust
    (TRUSTED_PROXIES), the client is the nearest address in X-Forwarded-For that is not one
    of our proxies; from anyone else the header is ignored, since a client can write anything in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            for address in reversed([part.strip() for part in forwarded.split(",")]):
                if address in self.trusted:
                    continue
                if _is_address(address):
                    request.META["REMOTE_ADDR"] = address
                break
        return self.get_response(request)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response


class PublicMethodsMiddleware:
    """The public site is read-only: GET and HEAD, and POST only where a form posts (the contact
    form and the admin); the JSON API answers its own methods (GET, HEAD, OPTIONS and a JSON 405),
    but not its documentation page. Anything else is a 405 before any view or the database is
    reached. A request body is refused (413) above a small limit, unread, except by the admin,
    whose uploads may be up to UPLOAD_MAX_BYTES."""

    # The contact form at its largest (5,000 characters of four-byte letters, percent-encoded) is 60 KB.
    SMALL_BODY = 128 * 1024

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin = "/" + settings.ADMIN_PATH

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = self._allowed(request.path)
        if request.method not in allowed and not _answers_for_itself(request):
            response = HttpResponse(
                f"This address answers {', '.join(allowed)} only.\n", status=405, content_type="text/plain"
            )
            response["Allow"] = ", ".join(allowed)
            return response
        limit = settings.UPLOAD_MAX_BYTES + 1_000_000 if request.path.startswith(self.admin) else self.SMALL_BODY
        if _declared_length(request) > limit:
            return HttpResponse("The request is too large.\n", status=413, content_type="text/plain")
        return self.get_response(request)

    def _allowed(self, path: str) -> tuple[str, ...]:
        if path.startswith(self.admin) or path == "/contact/":
            return ("GET", "HEAD", "POST")
        return ("GET", "HEAD")


def _answers_for_itself(request: HttpRequest) -> bool:
    """Whether the view at this path answers odd methods and odd paths itself, in its own format:
    the JSON API's (`public_api`, api/http.py). Asked only of odd requests, so it costs a page nothing."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "answers_for_itself", False)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# Control characters never appear in our addresses, and PostgreSQL cannot store NUL at all:
# a path holding one is no page of ours, answered as such before any view queries with it.
_CONTROL_CHARACTERS = frozenset(chr(code) for code in (*range(0x20), 0x7F))


class UnknownPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API answers its own bad addresses, in JSON (api/urls.py).
        if not _CONTROL_CHARACTERS.isdisjoint(request.path) and not _answers_for_itself(request):
            raise Http404("There is no page at this address.")
        return self.get_response(request)
