from django.http import HttpRequest, HttpResponse

from dashboard.cards import OVERLAP_NOTE, platform_card
from dashboard.forms import PlatformForm
from dashboard.views.cards import render_cards
from stats.cards import AREA, PERIOD, PLATFORM, SOURCE, VALUE, Card, Column, figure_record, last_updated, sources_of
from stats.models import Figure


def platforms(request: HttpRequest) -> HttpResponse:
    figures = [f for f in Figure.objects.platform_shares() if not f.is_superseded]
    shares = [f for f in figures if f.measure.per_platform]
    denominators = {f.case_key: f for f in figures if not f.measure.per_platform}
    releases: dict[tuple, list[Figure]] = {}
    for share in sorted(shares, key=lambda f: (f.period.start, f.geography.code), reverse=True):
        releases.setdefault(share.case_key, []).append(share)
    views = {_view_key(group[0]): group for group in releases.values()}
    form = PlatformForm(
        request.GET, views=[(key, f"{g[0].geography.name}, {g[0].period.label}") for key, g in views.items()]
    )
    choice = form.settle()
    cards = []
    if views:
        chosen = views[choice.values["view"]]
        cards.append(platform_card(chosen, denominators.get(chosen[0].case_key)))
        cards.append(_all_shares_card(shares, list(denominators.values())))
    context = {"form": form, "messages_": choice.messages, "overlap_note": OVERLAP_NOTE}
    return render_cards(request, "platforms.html", context, cards=cards, query=choice.query)


def _view_key(figure: Figure) -> str:
    return f"{figure.geography.code}:{figure.period.label}"


def _all_shares_card(shares: list[Figure], denominators: list[Figure]) -> Card:
    shown = sorted([*shares, *denominators], key=lambda f: (f.period.start, f.geography.code, -f.value))
    return Card(
        slug="all-shares",
        title="Every platform share published",
        summary=(
            f"{len(shares)} platform shares from {len(sources_of(shares))} releases, each with the number of "
            "offences where a platform was recorded when the release gave it."
        ),
        rows=[figure_record(f) for f in shown],
        columns=[AREA, PERIOD, Column("measure", "Measure"), PLATFORM, VALUE, SOURCE],
        sources=sources_of(shown),
        notes=[OVERLAP_NOTE],
        last_updated=last_updated(shown),
    )
