"""/coverage/: which areas and years we hold figures for, offence by offence, with the gaps shown."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.coverage_grid import SHORT_LABELS, coverage_grid
from stats.models import Geography, Measure, Offence, Period, Source
from stats.models.figures import Figure
from stats.records import Span
from tests.growth import add_figures
from tests.pages import download, text_of

SCOTLAND, NORTHERN_IRELAND, KENT, WEST_MIDLANDS_POLICE = "S92000003", "N92000002", "E23000032", "E23000014"


def _page(client, query: str = "") -> str:
    response = client.get(f"/coverage/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _columns(html: str, table: str) -> list[str]:
    """The year columns of one of the page's tables, as labelled."""
    head = html.split(f'id="{table}"', 1)[1].split("</thead>", 1)[0]
    return [re.split(r"<span", cell, maxsplit=1)[0] for cell in re.findall(r'<th scope="col">(.*?)</th>', head)][1:]


def _grid(html: str, table: str) -> dict[str, dict[str, str]]:
    """{area code: {year: the cell's HTML}} for one of the page's tables."""
    section = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    columns = _columns(html, table)
    grid = {}
    for code, cells in re.findall(r'<tr><th scope="row"><a href="/areas/([^/]+)/">.*?</th>(.*?)</tr>', section, re.S):
        grid[code] = dict(zip(columns, re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S), strict=True))
    return grid


def _marks(cell: str) -> list[tuple[str, str]]:
    """(label, link) of each figure in a cell."""
    return re.findall(r'<a href="([^"]+)">([^<]+)<span', cell)


def _figure(code: str, period: str, offence: str) -> Figure:
    return Figure.objects.current().get(
        geography__code=code,
        period__label=period,
        offence__slug=offence,
        measure__slug="offences-recorded",
        platform__isnull=True,
    )


def _query_count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    return len(queries)


def test_the_page_lists_every_force_then_scotland_and_northern_ireland(seeded, client):
    html = _page(client)
    assert "<title>What we hold: figures by area and year" in html
    forces = list(Geography.objects.filter(level="police_force_area").order_by("name").values_list("code", flat=True))
    assert len(forces) == 43
    rows = list(_grid(html, "police-force-areas"))
    assert rows == [*forces, SCOTLAND, NORTHERN_IRELAND]  # forces in name order, then the two nations
    assert '<a href="/areas/E23000032/">Kent Police</a>' in html
    assert "<span>Police force areas of England and Wales</span>" in html
    assert "<span>Scotland and Northern Ireland, each policed by one force</span>" in html
    # The wider areas have a table of their own, and Scotland is not repeated in it.
    wider = _grid(html, "wider-areas")
    assert list(wider)[:4] == ["K02000001", "K04000001", "E92000001", "W92000004"]
    assert len(wider) == 4 + 9 and SCOTLAND not in wider


def test_a_cell_links_each_offence_to_its_figure(seeded, client):
    grid = _grid(_page(client), "police-force-areas")
    kent = _figure(KENT, "2023/24", "sexual-communication-with-a-child")
    scotland = _figure(SCOTLAND, "2023/24", "communicating-indecently-with-a-child")
    assert _marks(grid[KENT]["2023/24"]) == [(f"/figures/{kent.pk}/", "s.15A")]
    assert _marks(grid[SCOTLAND]["2023/24"]) == [(f"/figures/{scotland.pk}/", "CIC")]
    # Two offences in one year: both, in the key's order, each to its own figure.
    grooming = _figure(KENT, "2017/18", "sexual-grooming")
    communication = _figure(KENT, "2017/18", "sexual-communication-with-a-child")
    assert _marks(grid[KENT]["2017/18"]) == [
        (f"/figures/{communication.pk}/", "s.15A"),
        (f"/figures/{grooming.pk}/", "88A"),
    ]
    # A screen reader hears what the label stands for, where and when.
    assert (
        's.15A<span class="visually-hidden">: Sexual communication with a child, Kent Police, 2023/24</span>'
        in (grid[KENT]["2023/24"])
    )


def test_an_empty_cell_says_none(seeded, client):
    grid = _grid(_page(client), "police-force-areas")
    assert not Figure.objects.current().filter(geography__code=KENT, period__label="2014/15").exists()
    gap = grid[KENT]["2014/15"]
    assert _marks(gap) == []
    assert gap == '<span aria-hidden="true">&ndash;</span><span class="visually-hidden">none</span>'


def test_the_key_names_each_label_in_full_once(seeded, client):
    html = _page(client)
    key = html.split('<dl class="coverage-key"', 1)[1].split("</dl>", 1)[0]
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", key) == [
        ("s.15A", "Sexual communication with a child"),
        ("88A", "Sexual grooming (Home Office 88A)"),
        ("CIC", "Communicating indecently with a child (Scotland)"),
        ("WMP", "Online grooming crimes (West Midlands Police)"),
    ]


def test_every_offence_we_hold_has_a_short_label(seeded):
    assert set(Offence.objects.values_list("slug", flat=True)) <= set(SHORT_LABELS)


def test_calendar_and_financial_years_are_separate_columns_in_time_order(seeded, client):
    html = _page(client)
    columns = _columns(html, "police-force-areas")
    assert columns == sorted(columns, key=lambda label: Period.objects.get(label=label).start)
    assert columns.index("2017") + 1 == columns.index("2017/18")  # January 2017 starts before April 2017
    assert "2017 to 2022" not in columns and "Apr 2017 to Sep 2018" not in columns  # not single years
    west_midlands = _grid(html, "police-force-areas")[WEST_MIDLANDS_POLICE]
    assert [label for _, label in _marks(west_midlands["2017"])] == ["WMP"]
    assert [label for _, label in _marks(west_midlands["2017/18"])] == ["88A"]
    assert "Calendar years (January to December: 2017 and 2022) and financial years (April to March)" in html


def test_the_summary_is_generated_from_the_figures(seeded, client, make_figure):
    text = text_of(_page(client))
    years = len(_columns(_page(client), "police-force-areas"))
    assert (
        f"45 areas and {years} years, from 2014/15 to 2024/25: every one of the 45 areas has at least one figure"
        in (text)
    )
    assert "2017/18 is the year with the most areas (all 45)" in text
    assert "not that there were no offences" in text
    recorded = Measure.objects.get(slug="offences-recorded")
    offence = Offence.objects.get(slug="sexual-communication-with-a-child")
    period = Period.objects.create(
        label="2025/26", kind="financial_year", start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31)
    )
    source = Source.objects.create(publisher="NSPCC", title="Next year", published=dt.date(2026, 9, 1))
    for code in (KENT, SCOTLAND):
        make_figure(
            geography=Geography.objects.get(code=code),
            offence=offence,
            measure=recorded,
            period=period,
            source=source,
            value=5,
        )
    text = text_of(_page(client))
    assert f"45 areas and {years + 1} years, from 2014/15 to 2025/26" in text
    assert "the latest year, 2025/26, has figures for 2 areas" in text


def test_the_page_makes_the_same_queries_however_many_figures_are_published(seeded, client, make_figure):
    before = _query_count(client)
    assert before == 2  # the figures held, and the areas
    add_figures(make_figure, 6)
    recorded = Measure.objects.get(slug="offences-recorded")
    offence = Offence.objects.create(slug="new-offence", name="A new offence", description="-", legal_basis="-")
    period = Period.objects.create(
        label="2031", kind="calendar_year", start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31)
    )
    for force in Geography.objects.filter(level="police_force_area")[:10]:
        make_figure(geography=force, offence=offence, measure=recorded, period=period, value=1)
    html = _page(client)
    assert _query_count(client) == before
    # ...and it did read the new figures: new columns, and a new offence, named in full.
    columns = _columns(html, "police-force-areas")
    assert {"2030/31", "2035/36", "2031"} <= set(columns)
    assert "<dt>A new offence</dt><dd>A new offence</dd>" in html


def test_the_grid_downloads_as_csv(seeded, client):
    response = client.get("/coverage/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="what-we-hold-by-area-and-year-2014-2025.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = {row["area_code"]: row for row in download(client, "/coverage/?format=csv")}
    assert len(rows) == 45 + 13
    assert rows[KENT]["2023/24"] == "s.15A"
    assert rows[KENT]["2017/18"] == "s.15A; 88A"
    assert rows[KENT]["2014/15"] == ""
    assert rows[SCOTLAND]["group"] == "Scotland and Northern Ireland, each policed by one force"
    assert rows[WEST_MIDLANDS_POLICE]["2017"] == "WMP"


@pytest.mark.parametrize(
    "query", ["?format=xls", "?format=", "?format=%00", "?format=json", "?card=x&format=csv&format=x"]
)
def test_an_unknown_download_is_a_404(seeded, client, query):
    assert client.get(f"/coverage/{query}").status_code == 404


@pytest.mark.parametrize("query", ["?x=%00", "?%ff%fe=%ff", "?page=-1", "?format[]=csv", "?&&&==="])
def test_junk_in_the_query_string_still_gives_the_page(seeded, client, query):
    assert "What we hold: figures by area and year" in _page(client, query)


def test_it_sets_no_cookie(seeded, client):
    assert not client.get("/coverage/").cookies


def test_the_pages_that_list_areas_sources_and_downloads_link_to_it(seeded, client):
    for page in ("/areas/", "/sources/", "/data/"):
        assert '<a href="/coverage/">what we hold</a>' in client.get(page).content.decode(), page


def test_before_any_figures_it_says_so(empty_db, client):
    assert "We hold no figures of offences recorded for any single year yet." in text_of(_page(client))


# The grid builder alone, on plain rows -----------------------------------------------------------

FY = Span("2023/24", "financial_year", dt.date(2023, 4, 1), dt.date(2024, 3, 31))
FY_BEFORE = Span("2022/23", "financial_year", dt.date(2022, 4, 1), dt.date(2023, 3, 31))
AREAS = [
    ("W92000004", "Wales", "nation", "K04000001"),
    ("W15000001", "North Wales Police", "police_force_area", "W92000004"),
    ("W15000002", "Gwent Police", "police_force_area", "W92000004"),
    ("K04000001", "England and Wales", "country", None),
]


def test_the_builder_names_the_areas_with_no_figure_and_the_busiest_years():
    held = [
        ("W15000001", FY, "sexual-communication-with-a-child", "Sexual communication with a child", 1),
        ("W15000001", FY_BEFORE, "sexual-communication-with-a-child", "Sexual communication with a child", 2),
    ]
    grid = coverage_grid(held, sorted(AREAS, key=lambda area: area[1]))
    assert [year.label for year in grid.columns] == ["2022/23", "2023/24"]
    assert grid.summary == [
        "2 areas and 2 years, from 2022/23 to 2023/24: 1 of the 2 areas has at least one figure; "
        "2022/23 and 2023/24 are the years with the most areas (1 each).",
        "2 of the 4 area-years (one area in one year) have a figure.",
        "Gwent Police has no figure for any year.",
    ]
    assert grid.notes == ["Every column is a financial year (April to March)."]
    assert [group.heading for group in grid.tables[0].groups] == ["Police force areas of Wales"]
    assert grid.tables[1].summary == "None of the 2 areas has a figure yet."


def test_the_builder_leaves_other_spans_out_of_the_grid_and_says_so():
    span = Span("Apr 2017 to Sep 2018", "other", dt.date(2017, 4, 1), dt.date(2018, 9, 30))
    held = [
        ("W15000001", FY, "sexual-grooming", "Sexual grooming (Home Office 88A)", 1),
        ("W15000002", span, "sexual-grooming", "Sexual grooming (Home Office 88A)", 2),
    ]
    grid = coverage_grid(held, AREAS)
    assert [year.label for year in grid.columns] == ["2023/24"]
    assert (
        "1 figure for other spans of time (Apr 2017 to Sep 2018) is not in the grid; it is on the area\u2019s own page."
        in (grid.notes)
    )
