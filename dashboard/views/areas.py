import difflib

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dashboard.area_coverage import coverage_sentence, figures_note
from dashboard.cards.comparison import comparison_card
from dashboard.cards.figure_list import all_figures_card
from dashboard.cards.trend import OFFENCES_RECORDED, trend_card
from dashboard.pages import render_cards
from stats.models import Figure, Geography, KeyDate, Population
from stats.models.revisions import LIVE
from stats.place_search import find_areas


def area_list(request: HttpRequest) -> HttpResponse:
    search = find_areas(request.GET.get("q", ""))
    if search.only_match:
        return redirect("area", code=search.only_match.area.code)
    # Withdrawn figures are not on the dashboard, so they are not counted either.
    published = Count("figures", filter=Q(figures__status__in=LIVE))
    areas = list(Geography.objects.annotate(figure_count=published).order_by("name"))
    children: dict[int | None, list[Geography]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    for area in areas:
        area.child_areas = children.get(area.pk, [])
    context = {
        "top": children.get(None, []),
        "search": search,
        "coverage": coverage_sentence(areas),
        "figures_note": figures_note(areas),
    }
    return render(request, "area_list.html", context)


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = Geography.objects.select_related("parent").filter(code=code.upper()).first()
    if area is None:
        return _area_not_found(request, code)
    figures = Figure.objects.for_display().filter(geography=area).records()
    region = area.parent if area.level == Geography.Level.POLICE_FORCE_AREA else area
    neighbours = (
        Figure.objects.of_forces_in(region, measure=OFFENCES_RECORDED).records()
        if region.level == Geography.Level.REGION
        else []
    )
    key_dates = list(KeyDate.objects.all())
    rates = Population.objects.denominators()

    cards = []
    for offence in dict.fromkeys(f.offence_slug for f in figures):
        series = [f for f in figures if f.offence_slug == offence and f.measure_slug == OFFENCES_RECORDED]
        if series:
            title = f"{series[0].offence_name}: offences recorded, {area.name}"
            cards.append(trend_card(series, key_dates, slug=f"trend-{offence}", title=title, rates=rates))
    for offence in dict.fromkeys(f.offence_slug for f in neighbours):
        comparison = comparison_card(
            [f for f in neighbours if f.offence_slug == offence], area.code, region.name, rates
        )
        if comparison:
            cards.append(comparison)
    if figures:
        cards.append(all_figures_card(area.name, figures))
    context = {
        "area": area,
        "children": list(area.children.order_by("name")),
        "figure_count": len(figures),
        "answer": cards[0].lead if cards else "",
    }
    return render_cards(request, "area_detail.html", context, cards=cards)


def _area_not_found(request: HttpRequest, code: str) -> HttpResponse:
    areas = list(Geography.objects.only("code", "name"))
    wanted = code.upper()[:20]
    close = difflib.get_close_matches(wanted, [a.code for a in areas], n=3, cutoff=0.7)
    suggestions = [a for a in areas if a.code in close]
    context = {"code": code[:20], "suggestions": suggestions}
    return render(request, "area_not_found.html", context, status=404)
