"""A figure's permanent page: its value, what it counts, its source, every publication of the
same series (with corrections and withdrawals) and how to cite it. Withdrawn figures keep
their page, marked withdrawn, because a citation may point at it."""

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dashboard.cards.card import Card, Row
from dashboard.citations import bibtex, cite
from dashboard.downloads import WRITERS, attachment
from dashboard.site_url import absolute_url
from stats.models import FIGURE_ID_MAX, Change, Figure
from stats.numbers import plain_number
from stats.records import FIGURE_PATH, FigureRecord
from stats.spans import KIND_NAMES


def figure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = Figure.objects.filter(pk=pk).first() if pk <= FIGURE_ID_MAX else None
    if row is None:
        raise Http404("There is no figure with that number.")
    series = Figure.objects.of_series(row).with_provenance().order_by("source__published", "pk").records()
    figure = next(record for record in series if record.id == row.pk)
    history = Change.objects.filter(Q(figure=row.pk) | Q(previous=row.pk)).select_related("release")
    permalink = absolute_url(reverse("figure", args=[row.pk]))
    accessed = timezone.localdate()
    citation = cite(figure.source, permalink, accessed)
    wanted = request.GET.get("format")
    if wanted is not None:
        if wanted not in WRITERS:
            raise Http404("There is no such download of this figure.")
        return attachment(WRITERS[wanted](_as_card(figure, permalink, citation)), wanted, f"figure-{row.pk}")
    return render(
        request,
        "figure.html",
        {
            "figure": figure,
            "period_kind": KIND_NAMES[figure.period.kind],
            "series": [(record, FIGURE_PATH.format(record.id)) for record in series],
            "current": next((record for record in series if record.status == "current"), None),
            "history": _history(history, row.pk),
            "citation": citation,
            "bibtex": bibtex(figure, permalink, accessed),
            "permalink": permalink,
        },
    )


def _as_card(figure: FigureRecord, permalink: str, citation: str) -> Card:
    """One figure as a card with no chart, so its downloads are written like every other."""
    title = f"{figure.measure_name}: {figure.offence_name}, {figure.area_name}, {figure.period.label}"
    card = Card(slug="figure", title=title, summary=figure.display_value, rows=[Row(figure)], columns=[], filename="")
    card.permalink, card.citations = permalink, [citation]
    return card


def _history(changes, pk: int) -> list[str]:
    """What each release did to this figure, oldest first, in words."""
    lines = []
    for change in sorted(changes, key=lambda c: c.release_id):
        release = change.release
        when = f"Release {release.number}, {timezone.localdate(release.published_at):%-d %B %Y}"
        reason = f" Reason given: {release.reason}" if release.reason else ""
        if change.figure_id == pk and change.kind == Change.Kind.WITHDRAWN:
            lines.append(f"{when}: withdrawn.{reason}")
        elif change.figure_id == pk and change.kind == Change.Kind.RESTORED:
            lines.append(f"{when}: put back, with the withdrawal of the release that replaced it.{reason}")
        elif change.figure_id == pk:
            lines.append(f"{when}: published ({change.get_kind_display().lower()}).{reason}")
        elif change.previous_id == pk and change.kind == Change.Kind.CORRECTED:
            lines.append(f"{when}: corrected to {plain_number(change.new_value)}; this value was withdrawn.{reason}")
        elif change.previous_id == pk and change.kind == Change.Kind.RESTATED:
            lines.append(f"{when}: a later publication restated it; this value is kept as a revision.")
    return lines
