"""Which query parameters each public page reads: the page cache keys a page on those alone.

A parameter a page does not read (a tracking tag, a typo, junk sent to fill the cache) is
dropped before the view runs, and a repeated one is given once, with the value the view
would have read (the last, as `QueryDict.get` reads it). So `/?x=1`, `/?x=2` and `/` are one
page and one cache entry, and the view never sees what it would ignore anyway.

Free text (a place search) makes a page of its own for each visitor's words: such a page is
built for them and never stored. The pages a visitor needs most when the database is down
(the helplines, advice, the areas) are kept without expiry, where a flood of other entries
cannot evict them (Redis runs with `maxmemory-policy volatile-lru`: docs/deploy.md).

A page not listed here (the API, which refuses unknown or repeated parameters itself with a
400 that is never stored) keeps its whole query string.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve

from dashboard.forms import AreaOffenceForm, MapForm, TrendForm, ViewForm
from dashboard.pages import EMBED_NAMESPACE

CARD = ("card", "format")  # one card's download or embed (dashboard/pages.py::render_cards)
PAGE = ("page",)  # a paginated list

# By URL name; an embed (/embed/<page path>) reads what its page reads.
READS: dict[str, tuple[str, ...]] = {
    "home": CARD,
    "trends": (*TrendForm.base_fields, *CARD),
    "areas": ("q",),
    "area": (*AreaOffenceForm.base_fields, *CARD, "q"),
    "area_figures": CARD,
    "platforms": (*ViewForm.base_fields, *CARD),
    "map": (*MapForm.base_fields, *CARD),
    "outcomes": (*ViewForm.base_fields, *CARD),
    "coverage": ("format",),
    "sources": ("source", *PAGE),
    "about": (),
    "report": (),
    "advice": (),
    "figure": ("format",),
    "data": PAGE,
    "data_latest": (),
    "data_release": (),
    "whats_new": PAGE,
    "whats_new_release": PAGE,
    "whats_new_feed": (),
    "robots_txt": (),
    "sitemap": ("p",),
    "sitemap_section": ("p",),
    "contact": ("from", "topic"),
}
FREE_TEXT = frozenset({"q", "from"})  # a place search; the page a message is about
KEPT_FOR_OUTAGES = frozenset({"home", "report", "advice", "areas", "area"})


@dataclass(frozen=True)
class PageKey:
    query: str  # the query string the page is built from and keyed on
    canonical: bool  # the request asked for exactly that: nothing dropped, nothing repeated
    storable: bool  # no free text: the same page serves everyone who asks this
    kept_for_outages: bool  # stored without expiry


def page_key(request: HttpRequest) -> PageKey:
    """What the request asks of the page, read once, before the view runs."""
    asked = request.META.get("QUERY_STRING", "")
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    name = match.url_name if match is not None and match.namespace in ("", EMBED_NAMESPACE) else None
    reads = READS.get(name)
    if reads is None:
        return PageKey(asked, canonical=True, storable=True, kept_for_outages=False)
    given = request.GET
    kept = {parameter: given[parameter] for parameter in reads if parameter in given}  # the last of repeats
    query = urlencode(kept)
    canonical = query == asked
    free_text = any(kept.get(parameter) for parameter in FREE_TEXT)
    return PageKey(query, canonical, storable=not free_text, kept_for_outages=name in KEPT_FOR_OUTAGES and not query)


def ask_only(request: HttpRequest, key: PageKey) -> None:
    """Let the view see only the parameters its page is keyed on."""
    if not key.canonical:
        request.META["QUERY_STRING"] = key.query
        request.GET = QueryDict(key.query)
