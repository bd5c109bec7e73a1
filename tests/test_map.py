"""/map/ and the home page's tile map: 43 equal tiles, no data shown as no data, table and tiles agree."""

import pytest

from dashboard.charts.tile_map import layout
from stats.models import Figure, Geography
from stats.publishing import publish_upload
from tests.pages import charts_of, table_rows, text_of
from tests.uploads.conftest import HOME_OFFICE_SOURCE, upload_bytes
from tests.uploads.files import HOME_OFFICE_HEADER, as_csv, home_office_rows


def _tiles(html: str) -> dict[str, str]:
    """Each tile's label and what it shows, from the chart embedded in the page."""
    trace = charts_of(html)["map-chart"]["data"][0]
    return {
        url.split("/")[2]: text.split("<br>")[1] for url, text in zip(trace["customdata"], trace["text"], strict=True)
    }


def test_the_layout_places_every_force_once_on_its_own_square(db):
    places = layout()
    forces = set(Geography.objects.filter(level="police_force_area").values_list("code", flat=True))
    assert set(places) == forces or not forces
    assert len(places) == 43
    assert len({(p.row, p.col) for p in places.values()}) == 43
    assert len({p.label for p in places.values()}) == 43


def _forces_with_a_count(period: str) -> set[str]:
    return set(
        Figure.objects.current()
        .filter(period__label=period, geography__level="police_force_area", measure__slug="offences-recorded")
        .filter(offence__slug="sexual-communication-with-a-child")
        .values_list("geography__code", flat=True)
    )


def test_the_default_map_is_the_only_year_every_force_published_and_says_which_offence(seeded, client):
    html = client.get("/map/").content.decode()
    tiles = _tiles(html)
    assert len(tiles) == 43
    # The Home Office table gives every force an 88A count for 2017/18, with a rate for all but
    # the City of London, where too few children live: the map opens there, on rates.
    grooming = {
        code
        for code in Geography.objects.filter(level="police_force_area").values_list("code", flat=True)
        if Figure.objects.current().filter(geography__code=code, offence__slug="sexual-grooming").exists()
    }
    assert len(grooming) == 43
    assert tiles["E23000034"] == "no rate"
    assert sum(1 for shown in tiles.values() if shown not in ("no data", "no rate")) == 42
    text = text_of(html)
    assert "Police force areas, 2017/18: sexual grooming (Home Office 88A), offences recorded per 10,000" in text
    assert "In 2017/18, 42 of the 43 police force areas have a figure for sexual grooming (Home Office 88A)" in text
    assert "City of London Police has a count but no rate" in text
    assert "2017/18 is the only year for which every force's figure is published here." in text
    assert "no published figure." not in text  # every force has one


def test_a_year_some_forces_published_says_how_many_have_none(seeded, client):
    text = text_of(
        client.get("/map/?offence=sexual-communication-with-a-child&period=2021%2F22&show=count").content.decode()
    )
    forces = len(_forces_with_a_count("2021/22"))
    assert f"In 2021/22, {forces} of the 43 police force areas have a figure for sexual communication" in text
    assert f"{43 - forces} have no published figure." in text
    assert "the only year for which every force" not in text


def test_a_period_with_counts_but_no_rates_says_so(seeded, client):
    from stats.models import Population

    Population.objects.filter(year__in=[2017, 2018]).update(status="withdrawn")
    text = text_of(client.get("/map/?offence=sexual-grooming&period=2017%2F18&show=rate").content.decode())
    assert "In 2017/18, 43 police force areas have a published count, but no rate can be given" in text
    assert "No police force area has a published figure" not in text


def test_your_area_is_placed_in_the_summary(seeded, client):
    text = text_of(client.get("/map/?area=E23000006").content.decode())
    assert "Cheshire Constabulary is " in text and " of the 42 police force areas with a figure (" in text


def test_after_a_home_office_upload_every_force_has_a_tile_and_the_table_agrees(seeded, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = upload_bytes(
        as_csv(HOME_OFFICE_HEADER, home_office_rows()), "open-data.csv", "home-office", HOME_OFFICE_SOURCE
    )
    publish_upload(upload=upload)
    html = client.get(
        "/map/?offence=sexual-grooming&measure=offences-recorded&period=2023%2F24&show=rate"
    ).content.decode()
    tiles = _tiles(html)
    assert len(tiles) == 43
    shown = {code: value for code, value in tiles.items() if value != "no data"}
    assert len(shown) == 43
    assert tiles["E23000034"] == "no rate"  # City of London: a withheld rate, not a zero
    hover = charts_of(html)["map-chart"]["data"][0]["hovertext"]
    assert "City of London Police: not shown: fewer than 5,000 children live here" in hover
    rows = table_rows(html, "map")
    assert len(rows) == 43
    names = dict(Geography.objects.values_list("name", "code"))
    for row in rows:
        code = names[row[0]]
        assert row[2] == "50"  # the count, the sum of the four quarters
        assert tiles[code] == (row[3] if row[3] != "no rate" else tiles[code])
    assert 'href="/areas/E23000014/">West Midlands Police</a>' in html


@pytest.mark.parametrize("sort", ["rate", "count", "area"])
def test_the_table_can_be_sorted_without_javascript(seeded, client, sort):
    query = f"sort={sort}&offence=sexual-communication-with-a-child&period=2021%2F22"
    rows = table_rows(client.get(f"/map/?{query}").content.decode(), "map")
    assert len(rows) == len(_forces_with_a_count("2021/22")) > 4
    if sort == "area":
        assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def test_the_home_page_shows_no_map_of_mostly_empty_tiles_and_says_why(seeded, client):
    Figure.objects.filter(offence__slug="sexual-grooming").update(status="withdrawn")
    html = client.get("/").content.decode()
    assert "map-chart" not in charts_of(html)
    # Without the Home Office table, the most forces with a rate for one year is the NSPCC's 2017/18.
    most = len(_forces_with_a_count("2017/18"))
    assert 0 < most < 43 / 2
    assert f"The most for any one year is {most} of the 43 forces (2017/18)" in text_of(html)


def test_the_home_page_shows_the_map_once_most_forces_have_a_figure(seeded, client):
    html = client.get("/").content.decode()
    assert "map-chart" in charts_of(html)
    assert "In 2017/18, 42 of the 43 police force areas have a figure for sexual grooming" in text_of(html)
