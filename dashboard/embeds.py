"""Embeddable charts: /embed/<page path>?<the page's query>&card=<slug> shows one card of a page,
framed on anyone's site.

Each route runs the page's own view; `dashboard.pages.render_cards` sees the request came
by one of these routes (their URL namespace) and renders just the chosen card. The routes
are named as the pages are, so a page finds its cards' embed address by its own name.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from dashboard import views
from dashboard.middleware import framable_anywhere
from dashboard.pages import EMBED_NAMESPACE


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page's view, framable anywhere. A chart that is not there (an unknown card or area)
    is a 404 that still shows inside the frame, saying so and linking to the dashboard,
    rather than a browser's refusal to frame our ordinary 404 page."""

    @framable_anywhere
    @wraps(view)
    def embed(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _missing(request)
        return _missing(request) if response.status_code == 404 else response

    return embed


def _missing(request: HttpRequest) -> HttpResponse:
    return render(request, "embed.html", {"card": None}, status=404)


app_name = EMBED_NAMESPACE
urlpatterns = [
    path("", embeddable(views.home), name="home"),
    path("trends/", embeddable(views.trends), name="trends"),
    path("areas/<str:code>/", embeddable(views.area_detail), name="area"),
    path("areas/<str:code>/figures/", embeddable(views.area_figures), name="area_figures"),
    path("platforms/", embeddable(views.platforms), name="platforms"),
    path("map/", embeddable(views.tile_map_page), name="map"),
    path("outcomes/", embeddable(views.outcomes), name="outcomes"),
]
