"""What's new: every release, newest first, and each release's full list of changed figures."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.release_notes import change_line, figure_changes, notes_for, releases

RELEASES_PER_PAGE = 20
CHANGES_PER_PAGE = 100


def whats_new(request: HttpRequest) -> HttpResponse:
    # get_page never fails: a page number that is not a number shows the first page, one past the end the last.
    page = Paginator(releases(), RELEASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "whats_new.html", {"page_obj": page, "notes": notes_for(list(page))})


def release_changes(request: HttpRequest, number: int) -> HttpResponse:
    release = releases().filter(number=number).first()
    if release is None:
        raise Http404("There is no release with that number.")
    (note,) = notes_for([release], changes_shown=0)
    page = Paginator(figure_changes(release), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    changes = [change_line(change) for change in page]
    caption = f"The figures release {number} changed"
    if page.paginator.num_pages > 1:
        caption += f": {page.start_index():,} to {page.end_index():,} of {page.paginator.count:,}"
    context = {"note": note, "page_obj": page, "changes": changes, "caption": caption}
    return render(request, "whats_new_release.html", context)
