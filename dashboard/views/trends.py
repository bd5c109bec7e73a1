from django.http import HttpRequest, HttpResponse

from dashboard.cards.series import key_dates_for_offence
from dashboard.cards.trend import trend_card
from dashboard.forms import TrendForm
from dashboard.pages import render_cards
from stats.models import Figure, Geography, KeyDate, Measure, Offence, Population


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
    figures = Figure.objects.series_of(areas=codes, offence=offence.slug, measure=measure.slug).records()
    names = {g.code: g.name for g in areas}
    show_rate = chosen["show"] == "rate"
    what = f"{measure.name} per 10,000 children" if show_rate else measure.name
    title = f"{what}: {offence.name}, " + " and ".join(names[code] for code in codes if code in names)
    card = trend_card(
        figures,
        key_dates_for_offence(KeyDate.objects.all(), {o.slug: o.in_force for o in offences.values()}, offence.slug),
        title=title,
        order=codes,
        rates=Population.objects.denominators(chosen["age"] or TrendForm.defaults["age"]),
        show_rate=show_rate,
    )
    return render_cards(request, "trends.html", context, cards=[card], query=choice.query)
