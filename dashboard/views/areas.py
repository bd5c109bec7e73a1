import difflib
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dashboard.area_coverage import figures_note
from dashboard.areas_in_words import areas_sentence
from dashboard.cards.area_answer import ONE_FORCE_NATIONS, area_answer, benchmark_areas, latest_of
from dashboard.cards.comparison import comparison_card
from dashboard.cards.figure_list import all_figures_card, figures_summary
from dashboard.cards.series import key_dates_for_offence
from dashboard.cards.trend import OFFENCES_RECORDED, trend_card
from dashboard.forms import AreaOffenceForm
from dashboard.pages import render_cards
from stats.models import Figure, Geography, KeyDate, Offence, Population
from stats.models.revisions import LIVE, Status
from stats.place_search import find_areas


def area_list(request: HttpRequest) -> HttpResponse:
    search = find_areas(request.GET.get("q", ""))
    if search.only_match:
        # The query goes with it, so the area page can say how the search led there.
        return redirect(f"{reverse('area', args=[search.only_match.area.code])}?{urlencode({'q': search.query})}")
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
        "coverage": areas_sentence(areas),
        "figures_note": figures_note(areas),
    }
    return render(request, "area_list.html", context)


# Trend and comparison cards for at most this many offences at once (the latest first), so a
# page costs the same however many offences an area comes to have; the others are a link away.
OFFENCES_SHOWN = 3


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = Geography.objects.select_related("parent").filter(code=code.upper()).first()
    if area is None:
        return _area_not_found(request, code)
    region = area.parent if area.level == Geography.Level.POLICE_FORCE_AREA else area
    # Compared side by side: the forces of the area's region. An offence is offered when the
    # area has figures for it, or they do.
    forces = (
        list(region.children.filter(level=Geography.Level.POLICE_FORCE_AREA))
        if region.level == Geography.Level.REGION
        else []
    )
    # The area's own offences first (its latest figure is the page's answer), then its neighbours'.
    own = Figure.objects.offences_of([area], measure=OFFENCES_RECORDED)
    offences = list(dict(own + Figure.objects.offences_of(forces, measure=OFFENCES_RECORDED)).items())
    settled = AreaOffenceForm(request.GET, offences=offences).settle()
    chosen = settled.values["offence"]
    shown = [chosen] if chosen else [slug for slug, _ in offences[:OFFENCES_SHOWN]]
    recorded = (
        Figure.objects.for_display()
        .filter(geography=area, measure__slug=OFFENCES_RECORDED, offence__slug__in=shown)
        .records()
    )
    published = Figure.objects.published().filter(geography=area)
    counts = published.aggregate(
        figures=Count("pk"),
        sources=Count("source", distinct=True),
        restated=Count("pk", filter=Q(status=Status.REVISION)),
    )
    periods = Figure.objects.comparison_periods(forces, measure=OFFENCES_RECORDED, offences=shown)
    neighbours = Figure.objects.compared(forces, measure=OFFENCES_RECORDED, periods=periods).records()
    key_dates = list(KeyDate.objects.all())
    every_offence = list(Offence.objects.order_by("name"))
    in_force = {offence.slug: offence.in_force for offence in every_offence}
    rates = Population.objects.denominators()

    cards = []
    for offence in shown:
        series = [f for f in recorded if f.offence_slug == offence]
        if series:
            title = f"{series[0].offence_name}: offences recorded, {area.name}"
            dates = key_dates_for_offence(key_dates, in_force, offence)
            cards.append(trend_card(series, dates, slug=f"trend-{offence}", title=title, rates=rates))
    for offence in shown:
        comparison = comparison_card(
            [f for f in neighbours if f.offence_slug == offence], area.code, region.name, rates
        )
        if comparison:
            cards.append(comparison)
    names = dict(offences)
    answer = _answer(area, recorded, rates)
    if answer:  # then how the latest figure's own series has changed, when it has more than one year
        trend = next((c for c in cards if c.slug == f"trend-{latest_of(recorded).offence_slug}"), None)
        if trend and trend.lead and not trend.lead.endswith("the only yearly figure published."):
            answer.append(trend.lead)
    context = {
        "area": area,
        "children": list(area.children.order_by("name")),
        "figure_count": counts["figures"],
        "figures_summary": figures_summary(**counts),
        "answer": " ".join(answer),
        "messages_": settled.messages,
        "shown_offences": [(slug, names[slug]) for slug in shown],
        "other_offences": [(slug, name) for slug, name in offences if slug not in shown],
        "one_offence": bool(chosen),
        "offences_explained": [offence for offence in every_offence if offence.slug in shown],
        "policed_by": ONE_FORCE_NATIONS.get(area.code, "").removeprefix("the "),
        "how_found": find_areas(request.GET["q"]).how_found(area.code) if request.GET.get("q") else "",
    }
    return render_cards(request, "area_detail.html", context, cards=cards, query=settled.query)


def _answer(area: Geography, recorded: list, rates) -> list[str]:
    """The page's opening sentences: its latest figure, named, and how it compares (one query)."""
    latest = latest_of(recorded)
    if latest is None:
        return []
    counterparts = Figure.objects.counterpart_in(benchmark_areas(area.code), latest).records()
    series = [f for f in recorded if f.offence_slug == latest.offence_slug]
    return area_answer(latest, series, counterparts, rates)


def area_figures(request: HttpRequest, code: str) -> HttpResponse:
    """Every figure published for an area, with their sources, downloads and citations: the
    list an area page links to, so that the page itself costs the same however many there are."""
    area = Geography.objects.select_related("parent").filter(code=code.upper()).first()
    if area is None:
        return _area_not_found(request, code)
    figures = Figure.objects.for_display().filter(geography=area).records()
    cards = [all_figures_card(area.name, figures)] if figures else []
    return render_cards(request, "area_figures.html", {"area": area}, cards=cards)


def _area_not_found(request: HttpRequest, code: str) -> HttpResponse:
    areas = list(Geography.objects.only("code", "name"))
    wanted = code.upper()[:20]
    close = difflib.get_close_matches(wanted, [a.code for a in areas], n=3, cutoff=0.7)
    suggestions = [a for a in areas if a.code in close]
    context = {"code": code[:20], "suggestions": suggestions}
    return render(request, "area_not_found.html", context, status=404)
