"""Every public page, download and API answer, cached under the version of the data it shows.

Each entry holds the data's version (stats/versions.py: the latest release and admin change)
and is served only while that is still the version, so publishing or withdrawing a release
makes every server build fresh pages at its next request, with no purge step and nothing to
forget. The version and the entry are read from the cache in one round trip; the database is
asked only when the cache has no version (a second after it was last asked, or at once after a
change). While the database does not answer (dashboard/database_watch.py), pages are served
from the cache under the last version seen, and anything not cached gets the "service
unavailable" page at once.

A page is keyed on the parameters its view reads (dashboard/page_keys.py), so junk in a query
string never makes a new entry; the pages an outage needs are kept without expiry, where such
a flood cannot evict them, and a release's files are sent from disk, never copied in here.

Each entry also carries an ETag and Last-Modified, so a browser or CDN that asks "changed
since?" gets a 304, and Cache-Control lets a CDN carry a spike (settings.PAGE_CACHE_CONTROL).
What is never cached: the admin, /healthz, anyone with a session (an admin), other methods
than GET and HEAD, and any answer that sets a cookie or says it is private.
"""

import hashlib
import itertools
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from dashboard.database_watch import database_may_answer
from dashboard.page_keys import PageKey, ask_only, page_key
from dashboard.recent_pages import RecentPages
from dashboard.unavailable import unavailable_response
from stats.versions import CACHE_KEY, DataVersion, shared_version

log = logging.getLogger(__name__)

STORED_STATUSES = (200, 301, 302, 404)
# Headers that belong to one answer, not to the page.
_NOT_REPLAYED = frozenset({"set-cookie", "date", "x-request-id", "content-length", "x-cache"})
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware decides
_LAST_VERSION_KEY = "page-cache:last-version"  # kept with no timeout, for outages
HEALTH_PATH = "/healthz"

_last_version: str = ""  # this process's latest sight of the data version
recent = RecentPages(settings.PAGE_CACHE_RECENT_BYTES)  # this process's own copies of the busiest pages


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.never_cached = ("/" + settings.ADMIN_PATH, HEALTH_PATH)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == HEALTH_PATH:  # it asks the database and the cache itself, and says so
            return self.get_response(request)
        page = page_key(request) if self._cacheable(request) else None
        if page is not None:
            ask_only(request, page)
        response = self._answer(request, page)
        if page is not None and not page.canonical:
            _not_for_nginx(response)  # nginx keys on the whole address, junk and all
        return response

    def _answer(self, request: HttpRequest, page: PageKey | None) -> HttpResponse:
        key = _key(request, page.query) if page is not None else None
        if not database_may_answer():
            return self._without_database(request, key)
        if not settings.PAGE_CACHE:
            return self.get_response(request)
        kept = recent.get(key) if key else None
        # One round trip: the version, and the page unless this process holds a copy.
        found = cache.get_many([CACHE_KEY, key] if key and kept is None else [CACHE_KEY])
        try:
            version = shared_version(found.get(CACHE_KEY), retry=database_may_answer)
        except (OperationalError, InterfaceError):
            return self._without_database(request, key)
        _remember(version.tag)
        if key is None:
            return self.get_response(request)
        entry = kept or found.get(key)
        if entry is not None and entry["version"] == version.tag:
            if kept is None:
                recent.put(key, entry)
            return _replay(request, entry, "HIT")
        response = self.get_response(request)
        entry = _entry_of(response, version, page)
        if entry is None:
            return _not_for_nginx(response)  # nginx keeps only what this cache would keep
        cache.set(key, entry, timeout=None if page.kept_for_outages else settings.PAGE_CACHE_SECONDS)
        recent.put(key, entry)
        return _replay(request, entry, "MISS")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A database that stops or hangs part-way through a page (its connection cut by the
        # watch) is an outage, not a bug: the visitor gets the helplines, the log the details.
        if isinstance(exception, (OperationalError, InterfaceError)):
            log.error("The database failed during a request.", exc_info=exception, extra={"request": request})
            return unavailable_response(request)
        return None

    def _cacheable(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.never_cached)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def _without_database(self, request: HttpRequest, key: str | None) -> HttpResponse:
        tag = _last_version or cache.get(_LAST_VERSION_KEY)
        entry = (recent.get(key) or cache.get(key)) if key and tag else None
        # Only a page of the data as last seen: never one showing a figure since withdrawn.
        if entry is not None and entry["version"] == tag:
            return _replay(request, entry, "HIT")
        return unavailable_response(request)


def _not_for_nginx(response: HttpResponse) -> HttpResponse:
    """nginx's 10-second cache (deploy/nginx) obeys this before anything else, and removes it."""
    response["X-Accel-Expires"] = "0"
    return response


def _remember(tag: str) -> None:
    # Kept in the shared cache as well, so a process started during an outage knows it.
    global _last_version
    if tag != _last_version:
        _last_version = tag
        cache.set(_LAST_VERSION_KEY, tag, timeout=None)


def _key(request: HttpRequest, query: str) -> str:
    encoding = "gzip" if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else "identity"
    # No host or scheme: pages write every absolute link from SITE_URL, so a page is the same
    # whichever allowed Host it was asked on, and a stray port or dot makes no new entry.
    address = f"{request.path}?{query}"
    return f"page:{encoding}:{hashlib.sha256(address.encode()).hexdigest()}"


def _entry_of(response: HttpResponse, version: DataVersion, page: PageKey) -> dict | None:
    """What to store of a response, or None if it must not be stored. Reading a streamed
    download stops at the size limit, and the response still sends every byte."""
    cache_control = response.get("Cache-Control", "")
    if (
        not page.storable
        # A parameter's value that finds nothing is a visitor's typo or junk: not kept.
        or (page.query and response.status_code != 200)
        # A release's file is on disk once already (stats/release_files.py), and is sent from
        # there; a copy here would be one per address and encoding.
        or isinstance(response, FileResponse)
        or response.status_code not in STORED_STATUSES
        or response.cookies
        or "private" in cache_control
        or "no-store" in cache_control
        or "cookie" in response.get("Vary", "").lower()
    ):
        return None
    if response.streaming:
        body = _read_up_to(response, settings.PAGE_CACHE_MAX_BYTES)
        if body is None:
            return None
    else:
        body = response.content
    headers = {name: value for name, value in response.items() if name.lower() not in _NOT_REPLAYED}
    headers.setdefault("ETag", f'"{version.tag}-{hashlib.sha256(body).hexdigest()[:16]}"')
    if version.changed_at is not None:
        headers.setdefault("Last-Modified", http_date(version.changed_at.timestamp()))
    headers.setdefault("Cache-Control", settings.PAGE_CACHE_CONTROL)
    return {"version": version.tag, "status": response.status_code, "headers": headers, "body": body}


def _read_up_to(response: HttpResponse, limit: int) -> bytes | None:
    chunks, size = [], 0
    iterator = iter(response.streaming_content)
    for chunk in iterator:
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            response.streaming_content = itertools.chain(chunks, iterator)
            return None
    return b"".join(chunks)


def _replay(request: HttpRequest, entry: dict, state: str) -> HttpResponse:
    headers = entry["headers"]
    response = HttpResponse(entry["body"], status=entry["status"])
    for name, value in headers.items():
        response[name] = value
    response["X-Cache"] = state
    if entry["status"] == 200:
        last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
        response = get_conditional_response(
            request, etag=headers.get("ETag"), last_modified=last_modified, response=response
        )
    if response.status_code == 304:
        return response
    response["Content-Length"] = str(len(entry["body"]))
    if request.method == "HEAD":
        response.content = b""
    return response
