"""What every page with cards shares: permalinks, citations and downloads of exactly what is shown."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stats.cards import Card, as_csv, as_json, citation

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", as_csv),
    "json": ("application/json; charset=utf-8", as_json),
}


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
        card.citation = citation(card, accessed)
        card.download_query = f"{query}&card={card.slug}" if query else f"card={card.slug}"

    wanted = request.GET.get("format")
    if wanted is not None:
        return _download(request, cards, wanted)
    return render(request, template, {**context, "cards": cards, "permalink": page})


def _download(request: HttpRequest, cards: list[Card], wanted: str) -> HttpResponse:
    card = next((card for card in cards if card.slug == request.GET.get("card")), None)
    if card is None or wanted not in DOWNLOADS:
        raise Http404("There is no such download on this page.")
    content_type, write = DOWNLOADS[wanted]
    response = HttpResponse(write(card), content_type=content_type)
    filename = f"{request.path.strip('/').replace('/', '-') or 'home'}-{card.slug}.{wanted}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
