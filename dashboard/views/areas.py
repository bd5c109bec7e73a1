import difflib

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.cards import comparison_card, trend_card
from dashboard.views.cards import render_cards
from stats.cards import PERIOD, PLATFORM, SOURCE, STATUS, VALUE, Card, Column, figure_record, last_updated, sources_of
from stats.models import Figure, Geography, KeyDate
from stats.models.reference import OFFENCES_RECORDED
from stats.rates import Denominators


def area_list(request: HttpRequest) -> HttpResponse:
    areas = list(Geography.objects.annotate(figure_count=Count("figures")).order_by("name"))
    children: dict[int | None, list[Geography]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    for area in areas:
        area.child_areas = children.get(area.pk, [])
    return render(request, "area_list.html", {"top": children.get(None, [])})


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = Geography.objects.select_related("parent").filter(code=code.upper()).first()
    if area is None:
        return _area_not_found(request, code)
    children = list(area.children.order_by("name"))
    figures = list(Figure.objects.for_display().filter(geography=area))
    region = area.parent if area.level == Geography.Level.POLICE_FORCE_AREA else area
    neighbours = (
        list(Figure.objects.of_forces_in(region, measure=OFFENCES_RECORDED))
        if region.level == Geography.Level.REGION
        else []
    )
    key_dates = list(KeyDate.objects.all())
    rates = Denominators.load()

    cards = []
    offences = {f.offence.slug: f.offence for f in figures}
    for offence in offences.values():
        series = [f for f in figures if f.offence == offence and f.measure.slug == OFFENCES_RECORDED]
        if series:
            title = f"{offence.name}: offences recorded, {area.name}"
            cards.append(trend_card(series, key_dates, slug=f"trend-{offence.slug}", title=title, rates=rates))
    for offence_slug in dict.fromkeys(f.offence.slug for f in neighbours):
        comparison = comparison_card([f for f in neighbours if f.offence.slug == offence_slug], area, region, rates)
        if comparison:
            comparison.slug = f"comparison-{offence_slug}"
            cards.append(comparison)
    if figures:
        cards.append(_all_figures_card(area, figures))
    context = {"area": area, "children": children, "figure_count": len(figures)}
    return render_cards(request, "area_detail.html", context, cards=cards)


def _all_figures_card(area: Geography, figures: list[Figure]) -> Card:
    sources = sources_of(figures)
    ordered = sorted(figures, key=lambda f: (f.offence.name, f.measure.name, f.period.start, f.platform_id or 0))
    return Card(
        slug="all-figures",
        title=f"Every figure published for {area.name}",
        summary=(
            f"{len(figures)} figure{'s' if len(figures) != 1 else ''} from "
            f"{len(sources)} source{'s' if len(sources) != 1 else ''}, "
            "including earlier releases that were later restated."
        ),
        rows=[figure_record(f) for f in ordered],
        columns=[Column("offence", "Offence"), Column("measure", "Measure"), PLATFORM, PERIOD, VALUE, STATUS, SOURCE],
        sources=sources,
        last_updated=last_updated(figures),
    )


def _area_not_found(request: HttpRequest, code: str) -> HttpResponse:
    areas = list(Geography.objects.only("code", "name"))
    wanted = code.upper()[:20]
    close = difflib.get_close_matches(wanted, [a.code for a in areas], n=3, cutoff=0.7)
    suggestions = [a for a in areas if a.code in close]
    context = {"code": code[:20], "suggestions": suggestions}
    return render(request, "area_not_found.html", context, status=404)
