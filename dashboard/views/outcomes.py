from django.http import HttpRequest, HttpResponse

from dashboard.cards.outcomes import outcome_card
from dashboard.cards.trend import OFFENCES_RECORDED
from dashboard.forms import ViewForm
from dashboard.pages import render_cards
from dashboard.words import plural
from stats.models import Figure, Offence

CHARGES = "charge-or-summons"


def outcomes(request: HttpRequest) -> HttpResponse:
    """One offence and period at a time, so that the areas compared counted the same thing over
    the same time, and the page costs the same however many years and offences are published.
    Every offence's name goes to the card, which says when a charges figure's note names another."""
    groups = Figure.objects.outcome_groups(CHARGES)
    views = [
        (f"{g.offence_slug}:{g.period_label}", f"{g.offence_name}, {g.period_label} ({plural(g.areas, 'area')})")
        for g in groups
    ]
    form = ViewForm(request.GET, views=views, label="Offence and period")
    choice = form.settle()
    cards = []
    if groups:
        offence, period = choice.values["view"].split(":", 1)
        figures = Figure.objects.outcomes(CHARGES, OFFENCES_RECORDED, offence=offence, period=period).records()
        recorded = {f.case_key: f for f in figures if f.measure_slug == OFFENCES_RECORDED}
        pairs = [(f, recorded[f.case_key]) for f in figures if f.measure_slug == CHARGES and f.case_key in recorded]
        if pairs:
            cards.append(outcome_card(pairs, Offence.objects.values_list("name", flat=True)))
    context = {"form": form if len(views) > 1 else None, "messages_": choice.messages}
    return render_cards(request, "outcomes.html", context, cards=cards, query=choice.query)
