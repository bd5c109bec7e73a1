from django.http import HttpRequest, HttpResponse

from dashboard.forms import MapForm
from dashboard.maps import MapChoice, busiest_period, map_card
from dashboard.views.cards import render_cards
from stats.cards import Card
from stats.models import Figure, Geography, Measure, Offence, Period
from stats.rates import Denominators


def force_figures() -> list[Figure]:
    """Every current single-year count for a police force area: the map's data, in one query."""
    figures = Figure.objects.for_display().filter(
        geography__level=Geography.Level.POLICE_FORCE_AREA, measure__unit="count", platform__isnull=True
    )
    return [f for f in figures if not f.is_superseded and f.period.kind != Period.Kind.OTHER]


def default_period(figures: list[Figure], rates: Denominators):
    """The period with a rate for the most forces (maps open on rates), else with a count for the most."""
    return busiest_period([f for f in figures if rates.rate(f).value is not None]) or busiest_period(figures)


def default_map_card(figures: list[Figure], forces: list[Geography]) -> Card | None:
    """The home page's map: the period with rates for the most forces."""
    rates = Denominators.load()
    busiest = default_period(figures, rates)
    if busiest is None:
        return None
    offence, measure, period = busiest
    return map_card(figures, forces, MapChoice(offence, measure, period, True, "0-17"), rates)


def tile_map_page(request: HttpRequest) -> HttpResponse:
    geographies = list(Geography.objects.all())
    forces = [g for g in geographies if g.level == Geography.Level.POLICE_FORCE_AREA]
    figures = force_figures()
    default_rates = Denominators.load()
    busiest = default_period(figures, default_rates)
    if busiest is None:
        return render_cards(request, "map.html", {"form": None, "messages_": []}, cards=[])
    offences = Offence.objects.filter(pk__in={f.offence_id for f in figures})
    measures = Measure.objects.filter(pk__in={f.measure_id for f in figures})
    periods = sorted({f.period_id: f.period for f in figures}.values(), key=lambda p: p.start, reverse=True)
    form = MapForm(
        request.GET,
        defaults={"offence": busiest[0], "measure": busiest[1], "period": busiest[2].label},
        offences=offences,
        measures=measures,
        periods=periods,
        areas=[g for g in geographies if g.level in ("region", "police_force_area")],
    )
    settled = form.settle()
    chosen = settled.values
    area = next((g for g in geographies if g.code == chosen["area"]), None)
    choice = MapChoice(
        offence=chosen["offence"],
        measure=chosen["measure"],
        period=next(p for p in periods if p.label == chosen["period"]),
        show_rate=chosen["show"] == "rate",
        band=chosen["age"],
        area=area,
        forces_in_area=tuple(g.code for g in forces if area and g.parent_id == area.pk),
        sort=chosen["sort"],
    )
    rates = default_rates if choice.band == default_rates.band else Denominators.load(choice.band)
    card = map_card(figures, forces, choice, rates)
    context = {"form": form, "messages_": settled.messages}
    return render_cards(request, "map.html", context, cards=[card], query=settled.query)
