"""What every page with cards shares: permalinks, citations and downloads of exactly what is shown."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dashboard.cards.card import Card, citations
from dashboard.downloads import WRITERS, attachment


def render_cards(
    request: HttpRequest, template: str, context: dict, *, cards: list[Card], query: str = ""
) -> HttpResponse:
    """Render the page, or, with ?card=<slug>&format=csv|json, that card's rows as a file.

    `query` is the page's canonical query string, rebuilt from the settled choices,
    so permalinks and downloads never carry anything the visitor typed that we did not use.
    """
    page = request.build_absolute_uri(request.path) + (f"?{query}" if query else "")
    accessed = timezone.localdate()
    for card in cards:
        card.permalink = f"{page}#{card.slug}"
        card.citations = citations(card, accessed)
        card.download_query = f"{query}&card={card.slug}" if query else f"card={card.slug}"

    wanted = request.GET.get("format")
    if wanted is not None:
        card = next((card for card in cards if card.slug == request.GET.get("card")), None)
        if card is None or wanted not in WRITERS:
            raise Http404("There is no such download on this page.")
        return attachment(WRITERS[wanted](card), wanted, card.filename)
    return render(request, template, {**context, "cards": cards, "permalink": page})
