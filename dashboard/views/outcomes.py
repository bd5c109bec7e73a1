from django.http import HttpRequest, HttpResponse

from dashboard.cards import outcome_card
from dashboard.views.cards import render_cards
from stats.models import Figure
from stats.models.reference import OFFENCES_RECORDED

CHARGES = "charge-or-summons"


def outcomes(request: HttpRequest) -> HttpResponse:
    figures = [f for f in Figure.objects.outcomes(CHARGES, OFFENCES_RECORDED) if not f.is_superseded]
    recorded = {f.case_key: f for f in figures if f.measure.slug == OFFENCES_RECORDED}
    pairs = [(f, recorded[f.case_key]) for f in figures if f.measure.slug == CHARGES and f.case_key in recorded]
    cards = [outcome_card(pairs)] if pairs else []
    return render_cards(request, "outcomes.html", {}, cards=cards)
