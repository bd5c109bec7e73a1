from django.http import HttpRequest, HttpResponse

from dashboard.cards import trend_card
from dashboard.forms import TrendForm
from dashboard.views.cards import render_cards
from stats.models import Figure, Geography, KeyDate, Measure, Offence
from stats.rates import Denominators


def trends(request: HttpRequest) -> HttpResponse:
    geographies = list(Geography.objects.all())
    offences = {o.slug: o for o in Offence.objects.all()}
    measures = {m.slug: m for m in Measure.objects.all()}
    form = TrendForm(request.GET, geographies=geographies, offences=offences.values(), measures=measures.values())
    choice = form.settle()
    chosen = choice.values
    offence, measure = offences.get(chosen["offence"]), measures.get(chosen["measure"])
    context = {"form": form, "messages_": choice.messages, "offence": offence, "measure": measure}
    if offence is None or measure is None:  # nothing loaded yet
        return render_cards(request, "trends.html", context, cards=[], query=choice.query)

    codes = list(dict.fromkeys(code for code in (chosen["geography"], chosen["compare"]) if code))
    areas = [g for g in geographies if g.code in codes]
    figures = list(Figure.objects.series_of(geographies=areas, offence=offence.slug, measure=measure.slug))
    names = {g.code: g.name for g in areas}
    title = f"{measure.name}: {offence.name.lower()}, " + " and ".join(names[code] for code in codes if code in names)
    band = chosen["age"] or TrendForm.defaults["age"]
    show_rate = chosen["show"] == "rate"
    if show_rate:
        title = title.replace(f"{measure.name}:", f"{measure.name} per 10,000 children:", 1)
    card = trend_card(
        figures,
        list(KeyDate.objects.all()),
        title=title,
        order=codes,
        rates=Denominators.load(band),
        show_rate=show_rate,
    )
    return render_cards(request, "trends.html", context, cards=[card], query=choice.query)
