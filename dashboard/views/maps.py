from django.http import HttpRequest, HttpResponse

from dashboard.cards.tile_map import MapChoice, complete_periods, default_choice, map_card
from dashboard.forms import MapForm
from dashboard.map_coverage import map_coverage
from dashboard.pages import render_cards
from stats.models import Figure, Geography, Measure, Offence, Population


def tile_map_page(request: HttpRequest) -> HttpResponse:
    geographies = list(Geography.objects.all())
    forces = {g.code: g.name for g in geographies if g.level == Geography.Level.POLICE_FORCE_AREA}
    default_rates = Population.objects.denominators()
    coverage = map_coverage(default_rates)
    default = default_choice(coverage, default_rates)
    if default is None:
        return render_cards(request, "map.html", {"form": None, "messages_": []}, cards=[])
    offences = Offence.objects.filter(slug__in={c.offence_slug for c in coverage})
    measures = Measure.objects.filter(slug__in={c.measure_slug for c in coverage})
    periods = list({c.period.label: c.period for c in coverage}.values())
    periods.sort(key=lambda p: p.start, reverse=True)
    form = MapForm(
        request.GET,
        defaults={"offence": default.offence, "measure": default.measure, "period": default.period},
        offences=offences,
        measures=measures,
        periods=[p.label for p in periods],
        areas=[g for g in geographies if g.level in ("region", "police_force_area")],
    )
    settled = form.settle()
    chosen = settled.values
    area = next((g for g in geographies if g.code == chosen["area"]), None)
    choice = MapChoice(
        offence=chosen["offence"],
        measure=chosen["measure"],
        period=chosen["period"],
        show_rate=chosen["show"] == "rate",
        band=chosen["age"],
        area_code=area.code if area else "",
        area_name=area.name if area else "",
        forces_in_area=tuple(g.code for g in geographies if area and g.parent_id == area.pk),
        sort=chosen["sort"],
    )
    rates = default_rates if choice.band == default_rates.band else Population.objects.denominators(choice.band)
    figures = Figure.objects.force_counts_of(offence=choice.offence, measure=choice.measure, period=choice.period)
    complete = complete_periods(coverage, choice, len(forces))
    card = map_card(figures.records(), forces, choice, rates, complete)
    context = {"form": form, "messages_": settled.messages}
    return render_cards(request, "map.html", context, cards=[card], query=settled.query)
