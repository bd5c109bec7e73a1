"""Sources: every publication the figures come from, a page of them at a time, each with its
first few figures; and one source's figures in full, a page at a time (?source=<id>).

Both read a fixed number of rows however many figures are published, so the page costs the
same with ten sources or ten thousand (it once rendered every figure: 10 MB at 100 times today's data).
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stats.models import Figure, Population, Source
from stats.models.revisions import Status

SOURCES_PER_PAGE = 50
FIGURES_PER_SOURCE = 10  # the first recorded, shown under each source in the list; the rest are a link away
FIGURES_PER_PAGE = 100  # on one source's own page


def sources(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("source")
    if wanted is not None:
        number = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) < 19 else None
        source = Source.objects.shown().filter(pk=number).first() if number else None
        if source is not None:
            return _one_source(request, source)
        message = "There is no source with that number on the dashboard, so every source is listed instead."
        return _every_source(request, [message])
    return _every_source(request, [])


def _every_source(request: HttpRequest, messages: list[str]) -> HttpResponse:
    # get_page never fails: a page number that is not a number shows the first page, one past the end the last.
    page = Paginator(Source.objects.shown(), SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page)
    ids = [source.pk for source in listed]
    figures = Figure.objects.counts_by_source(ids)
    estimates = Population.objects.counts_by_source(ids)
    first: dict[int, list] = {source: [] for source in ids}
    for record in Figure.objects.first_of_each_source(ids, FIGURES_PER_SOURCE).records():  # in display order
        first[record.source.id].append(record)
    entries = [
        _entry(source, first[source.pk], figures[source.pk], sum(estimates[source.pk].values())) for source in listed
    ]
    total = page.paginator.count
    context = {
        "page_obj": page,
        "entries": entries,
        "messages_": messages,
        "count": f"{total:,} source{'' if total == 1 else 's'}",
        "figures_per_source": FIGURES_PER_SOURCE,
    }
    return render(request, "sources.html", context)


def _entry(source: Source, first: list, figures: dict[str, int], estimates: int) -> dict:
    """One source in the list: its first figures, and what it gives in words."""
    shown, restated = sum(figures.values()), figures[Status.REVISION]
    parts = []
    if shown:
        parts.append(f"{_count(shown, 'figure')} on this dashboard")
        if restated:
            parts[-1] += f", {restated:,} of them restated by a later publication"
    if estimates:
        parts.append(f"{_count(estimates, 'population estimate')}, the denominators of rates")
    return {
        "source": source,
        "figures": first,
        "summary": "; ".join(parts) + ".",
        "caption": f"Figures from \u2018{source.title}\u2019 ({source.publisher}, {source.published_label})",
        "caption_id": f"source-{source.pk}-caption",
        "more": f"All {_count(shown, 'figure')} from \u2018{source.title}\u2019" if shown > len(first) else "",
    }


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _one_source(request: HttpRequest, source: Source) -> HttpResponse:
    page = Paginator(Figure.objects.from_source(source), FIGURES_PER_PAGE).get_page(request.GET.get("page"))
    counts = Figure.objects.counts_by_source([source.pk])[source.pk]
    context = {
        "source": source,
        "page_obj": page,
        "figures": page.object_list.records(),
        "summary": f"{_count(sum(counts.values()), 'figure')} on this dashboard"
        + (
            f", {counts[Status.REVISION]:,} of them restated by a later publication."
            if counts[Status.REVISION]
            else "."
        ),
        "caption": f"Figures from \u2018{source.title}\u2019 ({source.publisher}, {source.published_label})",
        "query": f"source={source.pk}",
    }
    return render(request, "source.html", context)
