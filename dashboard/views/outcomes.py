from django.http import HttpRequest, HttpResponse

from dashboard.cards import outcome_card
from dashboard.views.cards import render_cards
from stats.models import Figure

CHARGES = "charge-or-summons"
OFFENCES_RECORDED = "offences-recorded"


def outcomes(request: HttpRequest) -> HttpResponse:
    figures = [f for f in Figure.objects.outcomes(CHARGES, OFFENCES_RECORDED) if not f.is_superseded]
    recorded = {_case(f): f for f in figures if f.measure.slug == OFFENCES_RECORDED}
    pairs = [(f, recorded[_case(f)]) for f in figures if f.measure.slug == CHARGES and _case(f) in recorded]
    cards = [outcome_card(pairs)] if pairs else []
    return render_cards(request, "outcomes.html", {}, cards=cards)


def _case(figure: Figure) -> tuple[int, int, int]:
    return figure.geography_id, figure.period_id, figure.offence_id
