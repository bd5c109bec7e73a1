"""What we hold: which areas and years have figures of offences recorded, offence by offence,
for journalists to see at once where the gaps are; and the same grid as CSV (?format=csv).

Two queries whatever the number of figures: the figures held (ids and labels, no values) and the areas.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.area_coverage import UK_NATIONS
from dashboard.cards.trend import OFFENCES_RECORDED
from dashboard.coverage_grid import coverage_grid
from dashboard.downloads import attachment
from stats.file_formats import csv_lines
from stats.models import Figure, Geography

DOWNLOADS = ("csv",)


def coverage(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("format")
    if wanted is not None and wanted not in DOWNLOADS:
        raise Http404("There is no such download of this page.")
    held = Figure.objects.held_by_area_and_period(measure=OFFENCES_RECORDED)
    areas = Geography.objects.order_by("name").values_list("code", "name", "level", "parent__code")
    grid = coverage_grid(held, areas, nation_order=UK_NATIONS)
    if wanted == "csv":
        return attachment("".join(csv_lines(grid.csv_columns(), grid.csv_rows())), wanted, grid.filename)
    return render(request, "coverage.html", {"grid": grid})
