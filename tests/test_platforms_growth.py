"""/platforms/ costs what it shows: the same queries and at most a table's rows, however many
platform shares and counts are published."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Figure
from stats.releases import Entry, SourceDetails, publish
from tests.pages import download, table_rows, text_of

PLATFORMS = ["snapchat", "instagram", "facebook", "whatsapp"]


def _publish_years(years: int) -> None:
    """A release a year of UK platform shares and the count they are shares of, through the
    publish service as an upload would be, and counts for areas no share is published for."""
    for n in range(years):
        year = 2030 + n
        period = PeriodSpan(
            f"{year}/{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "financial_year"
        )
        source = SourceDetails("NSPCC", f"Platforms release {n}", f"{year + 1}-09-01")
        shares = [_entry(period, source, "K02000001", "platform-share", 10 + i, p) for i, p in enumerate(PLATFORMS)]
        counts = [
            _entry(period, source, area, "offences-with-platform-recorded", 500 + n)
            for area in ("K02000001", "E23000014", "E12000005")
        ]
        publish(entries=shares + counts, kind="upload", summary=f"Platform shares {year}")


def _entry(period: PeriodSpan, source: SourceDetails, area: str, measure: str, value: int, platform: str = "") -> Entry:
    unit = "percent" if platform else "count"
    offence = "sexual-communication-with-a-child"
    return Entry(FigureRow(area, period, offence, measure, platform, Decimal(value), unit, ""), source)


def _cost(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), len(table_rows(response.content.decode(), "all-shares"))


def test_the_platforms_page_makes_the_same_queries_however_many_shares_are_published(seeded, client):
    before = _cost(client, "/platforms/")
    _publish_years(30)
    queries, rows = _cost(client, "/platforms/")
    assert queries == before[0]
    assert rows == 100  # the table's first rows: 28 more a year are published


def test_a_page_listing_the_first_shares_says_so_and_its_download_has_every_one(seeded, client):
    _publish_years(30)
    html = client.get("/platforms/").content.decode()
    text = text_of(html)
    rows = download(client, "/platforms/?card=all-shares&format=csv")
    assert f"The table lists the first 100 of these {len(rows):,} figures" in text
    assert len(rows) > 100
    assert [row[0] for row in table_rows(html, "all-shares")] == [row["area"] for row in rows[:100]]
    shares = Figure.objects.current().filter(measure__slug="platform-share").count()
    assert f"{shares} platform shares from" in text
