from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stats.models import Measure, Offence


def about(request: HttpRequest) -> HttpResponse:
    context = {
        "offences": Offence.objects.all(),
        "measures": Measure.objects.select_related("denominator"),
    }
    return render(request, "about.html", context)
