from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from dashboard.cards import trend_card
from dashboard.headlines import (
    HEADLINE_SERIES,
    OFFENCES_RECORDED,
    SEXUAL_COMMUNICATION,
    change_headline,
    platform_headline,
)
from dashboard.views.cards import render_cards
from dashboard.views.maps import default_map_card, force_figures
from stats.models import Figure, Geography, KeyDate, ReportingRoute

NATIONAL = ["K02000001", "K04000001"]
URGENT_ROUTES = 4  # the first routes by urgency: 999, 101, CEOP, NSPCC Helpline


def home(request: HttpRequest) -> HttpResponse:
    headline_figures = list(
        Figure.objects.for_display().filter(
            Q(geography__code__in=[s.geography for s in HEADLINE_SERIES], measure__slug=OFFENCES_RECORDED)
            | Q(geography__code__in=NATIONAL, offence__slug=SEXUAL_COMMUNICATION)
        )
    )
    headlines = [change_headline(series, headline_figures) for series in HEADLINE_SERIES]
    headlines.append(platform_headline(headline_figures))
    national = [
        f
        for f in headline_figures
        if f.geography.code in NATIONAL
        and f.measure.slug == OFFENCES_RECORDED
        and f.offence.slug == SEXUAL_COMMUNICATION
    ]
    card = trend_card(
        national,
        list(KeyDate.objects.all()),
        slug="national",
        order=NATIONAL,
        title="Sexual communication with a child: offences recorded in the UK, and in England and Wales",
    )
    forces = list(Geography.objects.filter(level=Geography.Level.POLICE_FORCE_AREA))
    tile_map = default_map_card(force_figures(), forces)
    context = {
        "headlines": [h for h in headlines if h],
        "routes": ReportingRoute.objects.all()[:URGENT_ROUTES],
    }
    return render_cards(request, "home.html", context, cards=[card, *([tile_map] if tile_map else [])])
