"""The home page lists what the database holds, each figure with its source."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.models import Figure, Period


def test_it_lists_current_figures_with_their_sources(seeded, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3,217" in html and "7,263" in html
    current, restated = html.split("Earlier releases since restated")
    assert "3,171" not in current and "3,171" in restated  # superseded by the 2019 restatement
    assert 'href="https://www.nspcc.org.uk/about-us/news-opinion/2019/recorded-online-sexual-grooming/"' in html
    assert f"Current figures: {Figure.objects.current().count()} figures" in html


def test_it_sets_no_cookies(seeded, client):
    response = client.get("/")
    assert not response.cookies


def test_its_query_count_does_not_grow_with_the_data(seeded, client, make_figure):
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for year in range(2030, 2035):
        period = Period.objects.create(
            label=f"{year}", kind="calendar_year", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
        )
        make_figure(period=period, value=year)
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before)
