from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stats.models import Figure, Measure, Offence, Source
from stats.models.revisions import LIVE


def sources(request: HttpRequest) -> HttpResponse:
    # A source all of whose figures were withdrawn is history, not a source of anything shown.
    shown = Q(figures__status__in=LIVE) | Q(populations__status__in=LIVE)
    listed = Source.objects.filter(pk__in=Source.objects.filter(shown).values("pk"))
    listed = listed.prefetch_related(Prefetch("figures", queryset=Figure.objects.for_display()))
    return render(request, "sources.html", {"sources": listed})


def about(request: HttpRequest) -> HttpResponse:
    context = {
        "offences": Offence.objects.all(),
        "measures": Measure.objects.select_related("denominator"),
    }
    return render(request, "about.html", context)
