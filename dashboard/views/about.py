from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.cards.trend import OFFENCES_RECORDED
from dashboard.offence_words import SEXUAL_COMMUNICATION, SEXUAL_GROOMING, grooming_below_communication
from stats.models import Figure, Measure, Offence, Population

# Whose population estimates the rates use, and the areas that stand for each.
ESTIMATES_OF = {"K04000001": "England and Wales", "S92000003": "Scotland", "N92000002": "Northern Ireland"}


def about(request: HttpRequest) -> HttpResponse:
    force_counts = Figure.objects.force_counts().filter(
        offence__slug__in=[SEXUAL_GROOMING, SEXUAL_COMMUNICATION], measure__slug=OFFENCES_RECORDED
    )
    years = Population.objects.years_held(list(ESTIMATES_OF))
    context = {
        "offences": Offence.objects.all(),
        "measures": Measure.objects.select_related("denominator"),
        "grooming_below_communication": grooming_below_communication(force_counts.records()),
        "estimate_years": [(ESTIMATES_OF[code], first, last) for code, (first, last) in years.items()],
    }
    return render(request, "about.html", context)
