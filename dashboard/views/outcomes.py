from django.http import HttpRequest, HttpResponse

from dashboard.cards.outcomes import outcome_card
from dashboard.cards.trend import OFFENCES_RECORDED
from dashboard.pages import render_cards
from stats.models import Figure

CHARGES = "charge-or-summons"


def outcomes(request: HttpRequest) -> HttpResponse:
    figures = Figure.objects.outcomes(CHARGES, OFFENCES_RECORDED).current().records()
    recorded = {f.case_key: f for f in figures if f.measure_slug == OFFENCES_RECORDED}
    pairs = [(f, recorded[f.case_key]) for f in figures if f.measure_slug == CHARGES and f.case_key in recorded]
    cards = [outcome_card(pairs)] if pairs else []
    return render_cards(request, "outcomes.html", {}, cards=cards)
