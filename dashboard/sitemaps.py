"""The sitemap (/sitemap.xml, an index of /sitemap-<section>.xml): every public page, area (and its list
of figures), figure and release.

Sections are paginated by Django at 50,000 addresses. Each section costs the same few
queries whatever its size: one to count, one for the page, one for its latest date.
`lastmod` is the date of the latest release that changed what the address shows.
Every address starts with SITE_URL (dashboard/site_url.py): Django's sitemap views would build
them from the Host the request came with, so the sections and the index are told otherwise.
"""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import http_date

from dashboard.site_url import absolute_url, site_host, site_scheme
from stats.models import Change, Figure, Geography, Release

# The public pages, by URL name. Pages that read the figures change with every release;
# the others (help, contact, documentation) carry no date.
DATA_PAGES = ["home", "trends", "areas", "coverage", "map", "platforms", "outcomes", "sources", "whats_new"]
OTHER_PAGES = ["about", "report", "advice", "contact"]
# Pages other parts of the site provide, by URL name and the address to use until it is wired.
PLANNED_PAGES = {"data": "/data/", "api_docs": "/api/"}


def page_path(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return PLANNED_PAGES[name]


class PublicSitemap(Sitemap):
    """A section whose addresses start with the site's public address, whatever the Host."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return site_scheme()

    def get_domain(self, site=None) -> str:
        return site_host()


class PageSitemap(PublicSitemap):
    def items(self) -> list[str]:
        return DATA_PAGES + OTHER_PAGES + list(PLANNED_PAGES)

    def location(self, name: str) -> str:
        return page_path(name)

    def lastmod(self, name: str) -> dt.datetime | None:
        return self.get_latest_lastmod() if name in DATA_PAGES or name == "data" else None

    def get_latest_lastmod(self) -> dt.datetime | None:
        if not hasattr(self, "_latest"):  # an instance lives for one request
            self._latest = Release.objects.aggregate(latest=Max("published_at"))["latest"]
        return self._latest


class AreaSitemap(PublicSitemap):
    def items(self):
        latest = Max("figures__changes__release__published_at")
        return Geography.objects.order_by("code").values("code").annotate(lastmod=latest)

    def location(self, area: dict) -> str:
        return reverse("area", args=[area["code"]])

    def lastmod(self, area: dict) -> dt.datetime | None:
        return area["lastmod"]

    def get_latest_lastmod(self) -> dt.datetime | None:
        return _latest_figure_release()


class AreaFiguresSitemap(AreaSitemap):
    """Each area's list of every figure published for it: changed by the same releases."""

    def location(self, area: dict) -> str:
        return reverse("area_figures", args=[area["code"]])


class FigureSitemap(PublicSitemap):
    """Every figure's permanent page, current, kept as a revision or withdrawn: a citation must keep working."""

    def items(self):
        # A figure's page changes when a release adds, withdraws, restores or replaces it.
        touched = Change.objects.filter(Q(figure=OuterRef("pk")) | Q(previous=OuterRef("pk")))
        latest = touched.order_by("-release__published_at").values("release__published_at")[:1]
        return Figure.objects.order_by("pk").values("pk").annotate(lastmod=Subquery(latest))

    def location(self, figure: dict) -> str:
        return reverse("figure", args=[figure["pk"]])

    def lastmod(self, figure: dict) -> dt.datetime | None:
        return figure["lastmod"]

    def get_latest_lastmod(self) -> dt.datetime | None:
        return _latest_figure_release()


class ReleaseSitemap(PublicSitemap):
    """Each release's page of changes; it changes once more if the release is withdrawn."""

    def items(self):
        return Release.objects.order_by("number").values("number", "published_at", "withdrawn_by__published_at")

    def location(self, release: dict) -> str:
        return reverse("whats_new_release", args=[release["number"]])

    def lastmod(self, release: dict) -> dt.datetime:
        return release["withdrawn_by__published_at"] or release["published_at"]

    def get_latest_lastmod(self) -> dt.datetime | None:
        return Release.objects.aggregate(latest=Max("published_at"))["latest"]


def _latest_figure_release() -> dt.datetime | None:
    return Release.objects.filter(changes__figure__isnull=False).aggregate(latest=Max("published_at"))["latest"]


SITEMAPS = {
    "pages": PageSitemap,
    "areas": AreaSitemap,
    "area-figures": AreaFiguresSitemap,
    "figures": FigureSitemap,
    "releases": ReleaseSitemap,
}


@x_robots_tag
def index(request: HttpRequest) -> TemplateResponse:
    """/sitemap.xml: each section's address, one per page of 50,000, as Django's index view
    lists them, with the Last-Modified header it sends when every section has a date."""
    items = []
    dates = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        dates.append(lastmod)
        for page in sitemap.paginator.page_range:
            items.append(SitemapIndexItem(location if page == 1 else f"{location}?p={page}", lastmod))
    dated = None not in dates
    headers = {"Last-Modified": http_date(max(dates).timestamp())} if dated else None
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml", headers=headers
    )
