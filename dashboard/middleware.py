"""Security headers for every response, and the one way a response may be framed by other sites."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse


def _policy(frame_ancestors: str) -> str:
    # Scripts only from our own origin (no inline scripts); Plotly.js sets inline styles on
    # the charts it draws, so styles allow 'unsafe-inline'. Nothing loads from other sites.
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


CONTENT_SECURITY_POLICY = _policy("'none'")
# An embedded chart is meant to sit on other people's pages; everything else of the policy stays.
EMBED_CONTENT_SECURITY_POLICY = _policy("*")


def framable_anywhere(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let any site show this view's responses in a frame. Only embeds use it: every other
    response keeps X-Frame-Options: DENY and frame-ancestors 'none' against clickjacking."""

    @wraps(view)
    def framable(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.framable_anywhere = True  # read by SecurityHeadersMiddleware below
        response.xframe_options_exempt = True  # read by Django's XFrameOptionsMiddleware
        return response

    framable.framable_anywhere = True  # so a test can list every route that may be framed
    return framable


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        framable = getattr(response, "framable_anywhere", False)
        response.headers.setdefault(
            "Content-Security-Policy", EMBED_CONTENT_SECURITY_POLICY if framable else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response


# Control characters never appear in our addresses, and PostgreSQL cannot store NUL at all:
# a path holding one is no page of ours, answered as such before any view queries with it.
_CONTROL_CHARACTERS = frozenset(chr(code) for code in (*range(0x20), 0x7F))


class UnknownPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API answers its own bad addresses, in JSON (api/http.py).
        if not request.path.startswith("/api/") and not _CONTROL_CHARACTERS.isdisjoint(request.path):
            raise Http404("There is no page at this address.")
        return self.get_response(request)
