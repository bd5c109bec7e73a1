"""Where to report and how to keep children safe: the pages the figures exist for."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.cards.headlines import platform_headline
from stats.models import Figure, Platform, ReportingRoute


def report(request: HttpRequest) -> HttpResponse:
    routes = list(ReportingRoute.objects.all())
    context = {
        "routes": routes,
        # Templates name a route by its key, written with underscores (report_remove).
        "by_key": {route.key.replace("-", "_"): route for route in routes},
        "for_young_people": [route for route in routes if route.for_young_people],
        "last_checked": max((r.last_checked for r in routes if r.last_checked), default=None),
    }
    return render(request, "report.html", context)


def advice(request: HttpRequest) -> HttpResponse:
    context = {
        "platform_fact": platform_headline(Figure.objects.latest_national_shares().records()),
        "platforms": Platform.objects.filter(is_grouping=False).exclude(safety_url=""),
    }
    return render(request, "advice.html", context)
