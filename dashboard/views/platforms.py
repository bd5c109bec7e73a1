from django.http import HttpRequest, HttpResponse

from dashboard.cards.platforms import OVERLAP_NOTE, all_shares_card, platform_card
from dashboard.forms import ViewForm
from dashboard.pages import render_cards
from stats.models import Figure
from stats.records import FigureRecord


def platforms(request: HttpRequest) -> HttpResponse:
    figures = Figure.objects.platform_shares().current().records()
    shares = [f for f in figures if f.platform_slug]
    denominators = {f.case_key: f for f in figures if not f.platform_slug}
    releases: dict[tuple, list[FigureRecord]] = {}
    for share in sorted(shares, key=lambda f: (f.period.start, f.area_code), reverse=True):
        releases.setdefault(share.case_key, []).append(share)
    views = {f"{group[0].area_code}:{group[0].period.label}": group for group in releases.values()}
    form = ViewForm(
        request.GET,
        views=[(key, f"{g[0].area_name}, {g[0].period.label}") for key, g in views.items()],
        label="Area and period",
    )
    choice = form.settle()
    cards = []
    if views:
        chosen = views[choice.values["view"]]
        cards.append(platform_card(chosen, denominators.get(chosen[0].case_key)))
        cards.append(all_shares_card(shares, list(denominators.values())))
    context = {"form": form, "messages_": choice.messages, "overlap_note": OVERLAP_NOTE}
    return render_cards(request, "platforms.html", context, cards=cards, query=choice.query)
