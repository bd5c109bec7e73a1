"""Every card: downloads hold exactly the table's rows with sources; permalinks reopen the view."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import PUBLIC_PAGES, SITE, download, download_link, table_rows, text_of

CARD_PAGES = [
    ("/", "national"),
    ("/trends/", "trend"),
    ("/trends/?geography=E23000014&offence=online-grooming", "trend"),
    ("/areas/E23000014/figures/", "all-figures"),
    ("/areas/E23000014/", "comparison-sexual-communication-with-a-child"),
    ("/platforms/", "platforms"),
    ("/platforms/", "all-shares"),
    ("/outcomes/", "outcomes"),
]


@pytest.mark.parametrize(("page", "card"), CARD_PAGES)
def test_the_csv_download_has_the_tables_rows_with_sources(seeded, client, page, card):
    html = client.get(page).content.decode()
    table = table_rows(html, card)
    rows = download(client, page.split("?")[0] + download_link(html, card, "csv"))
    assert len(rows) == len(table)
    for row, cells in zip(rows, table, strict=True):
        assert row["area"] in cells or row["area"] in html
        assert row["source_publisher"] and row["source_published"]
        assert "note" in row


@pytest.mark.parametrize(("page", "card"), CARD_PAGES)
def test_the_json_download_matches_the_csv(seeded, client, page, card):
    html = client.get(page).content.decode()
    path = page.split("?")[0]
    document = json.loads(client.get(path + download_link(html, card, "json")).content)
    rows = download(client, path + download_link(html, card, "csv"))
    assert len(document["rows"]) == len(rows)
    # The same values, but numbers in JSON (457, 12.5) where CSV writes text.
    assert [str(row["value"]) for row in document["rows"]] == [row["value"] for row in rows]
    assert all(isinstance(row["value"], int | float) for row in document["rows"])
    assert document["citations"] and document["permalink"].endswith(f"#{card}")
    assert all(c.endswith(".") and document["permalink"] in c for c in document["citations"])


def test_the_permalink_reopens_the_same_view(seeded, client):
    html = client.get("/trends/?offence=online-grooming&geography=E23000014&measure=offences-recorded").content.decode()
    (permalink,) = re.findall(r'href="([^"]+)">Permalink', html)
    assert permalink.startswith(f"{SITE}/trends/?geography=E23000014")
    path = unescape(permalink).removeprefix(SITE).split("#")[0]
    reopened = client.get(path).content.decode()
    assert table_rows(reopened, "trend") == table_rows(html, "trend")


def test_cite_this_names_each_figures_own_source_the_page_and_the_day(seeded, client):
    html = client.get("/outcomes/").content.decode()
    section = html.split('class="card__cite"', 1)[1].split("</details>", 1)[0]
    citations = [text_of(c) for c in re.findall(r"<li>(.*?)</li>", section, re.S)]
    (west_midlands,) = [c for c in citations if c.startswith("For 89 (West Midlands Police, 2017 to 2022)")]
    assert (
        "Express & Star (West Midlands Police FOI 62A/23), \u2018Online grooming crimes in West Midlands"
        in west_midlands
    )
    assert "Avon" not in west_midlands  # a journalist citing 89 cites its source, not every source on the chart
    assert (
        "via Online grooming crime in the UK dashboard, "
        f"{SITE}/outcomes/?view=online-grooming%3A2017+to+2022#outcomes, accessed" in west_midlands
    )


def test_downloads_are_named_for_what_they_hold_and_counts_have_no_decimals(seeded, client):
    response = client.get("/areas/E12000005/?card=trend-sexual-communication-with-a-child&format=csv")
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="west-midlands-sexual-communication-2017-2025.csv"'
    rows = download(client, "/areas/E12000005/?card=trend-sexual-communication-with-a-child&format=csv")
    assert [row["value"] for row in rows] == ["194", "260", "457", "391"]


def test_a_spreadsheet_formula_in_a_note_is_written_as_text(seeded, client):
    from stats.models import Figure

    Figure.objects.filter(measure__slug="charge-or-summons").update(note='=HYPERLINK("http://x")')
    rows = download(client, "/outcomes/?card=outcomes&format=csv")
    assert all(row["note"].startswith("'=") for row in rows)


def _query_count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code in (200, 404)
    return len(queries)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_each_page_makes_a_fixed_number_of_queries(seeded, client, make_figure, path):
    from stats.place_search import place_index
    from tests.growth import add_figures

    place_index()  # the first search of a process indexes every place name, once
    before = _query_count(client, path)
    add_figures(make_figure, 25)
    assert _query_count(client, path) == before
