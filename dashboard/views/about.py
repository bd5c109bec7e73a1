from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stats.models import Figure, Measure, Offence, Source


def sources(request: HttpRequest) -> HttpResponse:
    listed = Source.objects.prefetch_related(Prefetch("figures", queryset=Figure.objects.for_display()))
    return render(request, "sources.html", {"sources": listed})


def about(request: HttpRequest) -> HttpResponse:
    context = {
        "offences": Offence.objects.all(),
        "measures": Measure.objects.select_related("denominator"),
    }
    return render(request, "about.html", context)
