from django.http import HttpRequest, HttpResponse

from dashboard.cards.platforms import ALL_SHARES, OVERLAP_NOTE, ROWS_SHOWN, all_shares_card, platform_card
from dashboard.forms import ViewForm
from dashboard.pages import render_cards
from stats.models import Figure


def platforms(request: HttpRequest) -> HttpResponse:
    cases = Figure.objects.platform_share_cases()
    form = ViewForm(
        request.GET,
        views=[(case.key, f"{case.area_name}, {case.period_label}") for case in cases],
        label="Area and period",
    )
    choice = form.settle()
    cards = []
    if cases:
        chosen = next(case for case in cases if case.key == choice.values["view"])
        figures = Figure.objects.platform_shares_of(chosen).records()
        shares = [f for f in figures if f.platform_slug]
        denominator = next((f for f in reversed(figures) if not f.platform_slug), None)
        cards.append(platform_card(shares, denominator))
        # The page lists the first rows; only a download of the card reads every one.
        if _downloading(request, ALL_SHARES):
            shown = Figure.objects.every_platform_share()
        else:
            shown = Figure.objects.first_platform_shares(ROWS_SHOWN)
        counts = Figure.objects.platform_share_counts()
        cards.append(
            all_shares_card(shown.records(), total=counts.figures, shares=counts.shares, sources=counts.sources)
        )
    context = {"form": form, "messages_": choice.messages, "overlap_note": OVERLAP_NOTE}
    return render_cards(request, "platforms.html", context, cards=cards, query=choice.query)


def _downloading(request: HttpRequest, card: str) -> bool:
    return request.GET.get("card") == card and "format" in request.GET
