"""Public pages. Views stay thin: a queryset method chooses the data, a template shows it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stats.models import Figure, Geography, Source


def home(request: HttpRequest) -> HttpResponse:
    figures = (
        Figure.objects.with_revision_status()
        .with_provenance()
        .order_by("offence__name", "geography__code", "period__start", "measure__name", "platform__name")
    )
    context = {
        "current": [figure for figure in figures if not figure.is_superseded],
        "superseded": [figure for figure in figures if figure.is_superseded],
        "figure_count": len(figures),
        "source_count": Source.objects.count(),
        "area_count": Geography.objects.count(),
    }
    return render(request, "home.html", context)
