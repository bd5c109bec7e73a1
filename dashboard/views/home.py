from django.http import HttpRequest, HttpResponse

from dashboard.cards.headlines import HEADLINE_SERIES, SEXUAL_COMMUNICATION, change_headline, platform_headline
from dashboard.cards.tile_map import complete_periods, default_choice, forces_with_values, is_worth_a_map, map_card
from dashboard.cards.trend import OFFENCES_RECORDED, trend_card
from dashboard.map_coverage import map_coverage
from dashboard.pages import render_cards
from stats.models import Figure, Geography, KeyDate, Population, ReportingRoute
from stats.models.figures import PreparedRecords

NATIONAL = ["K02000001", "K04000001"]
URGENT_ROUTES = 4  # the first routes by urgency: 999, 101, CEOP, NSPCC Helpline

# Only the series the page shows, and the platform shares of the latest year: however many
# figures are published, the page reads about the same number. The query never changes, so it
# is prepared once (stats/prepared.py).
HEADLINE_FIGURES = PreparedRecords(
    lambda: (
        Figure.objects.current_series([(s.geography, s.offence, s.measure, s.kind) for s in HEADLINE_SERIES])
        | Figure.objects.series_of(areas=NATIONAL, offence=SEXUAL_COMMUNICATION, measure=OFFENCES_RECORDED)
        | Figure.objects.latest_national_shares(SEXUAL_COMMUNICATION)
    ).in_areas([*NATIONAL, *(s.geography for s in HEADLINE_SERIES)])
)


def home(request: HttpRequest) -> HttpResponse:
    headline_figures = HEADLINE_FIGURES.records()
    headlines = [change_headline(series, headline_figures) for series in HEADLINE_SERIES]
    headlines.append(platform_headline(headline_figures))
    national = [
        f
        for f in headline_figures
        if f.area_code in NATIONAL and f.measure_slug == OFFENCES_RECORDED and f.offence_slug == SEXUAL_COMMUNICATION
    ]
    cards = [
        trend_card(
            national,
            list(KeyDate.objects.all()),
            slug="national",
            order=NATIONAL,
            title="Sexual communication with a child: offences recorded in the UK, and in England and Wales",
        )
    ]
    context = {"headlines": [h for h in headlines if h], "routes": ReportingRoute.objects.all()[:URGENT_ROUTES]}
    context.update(_map_or_why_not(cards))
    return render_cards(request, "home.html", context, cards=cards)


def _map_or_why_not(cards: list) -> dict:
    """The map, when most forces have a value for one period; otherwise how far there is to go."""
    forces = dict(Geography.objects.filter(level=Geography.Level.POLICE_FORCE_AREA).values_list("code", "name"))
    rates = Population.objects.denominators()
    coverage = map_coverage(rates)
    choice = default_choice(coverage, rates)
    if choice is None:
        return {"map_status": {"forces": len(forces), "with_values": 0, "period": ""}}
    if is_worth_a_map(coverage, choice, len(forces)):
        figures = Figure.objects.force_counts_of(offence=choice.offence, measure=choice.measure, period=choice.period)
        complete = complete_periods(coverage, choice, len(forces))
        cards.append(map_card(figures.records(), forces, choice, rates, complete))
        return {}
    with_values = forces_with_values(coverage, choice)
    return {"map_status": {"forces": len(forces), "with_values": with_values, "period": choice.period}}
