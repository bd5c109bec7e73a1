"""/areas/ and /areas/<code>/: every area, its figures, family and regional comparison."""

from stats.models import Geography, Population
from tests.pages import charts_of, table_rows, text_of


def test_the_list_links_every_area(seeded, client):
    html = client.get("/areas/").content.decode()
    for code in Geography.objects.values_list("code", flat=True):
        assert f'href="/areas/{code}/"' in html


def test_a_force_page_shows_its_parent_and_every_figure(seeded, client):
    response = client.get("/areas/E23000014/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/areas/E12000005/">West Midlands</a>' in html
    rows = table_rows(html, "all-figures")
    assert len(rows) == 6
    assert rows[0][:5] == [
        "Online grooming crimes (West Midlands Police)",
        "Charges or summonses",
        "",
        "2017 to 2022",
        "89",
    ]


def test_a_force_is_compared_with_the_other_forces_of_its_region_by_rate(seeded, client):
    html = client.get("/areas/E23000014/").content.decode()
    chart = charts_of(html)["comparison-sexual-communication-with-a-child-chart"]
    (bars,) = chart["data"]
    counts = {"West Midlands Police": 141, "Staffordshire Police": 105, "Warwickshire Police": 24}
    children = dict(
        Population.objects.filter(geography__name__in=counts, year=2022, age_band="0-17").values_list(
            "geography__name", "value"
        )
    )
    expected = {name: round(count / children[name] * 10_000, 1) for name, count in counts.items()}
    shown = {label.removesuffix(" (this area)"): value for label, value in zip(bars["y"], bars["x"], strict=True)}
    assert shown == expected
    assert "West Midlands Police (this area)" in bars["y"]
    top = max(expected, key=expected.get)
    assert f"{top} had the highest rate per 10,000 children ({expected[top]})" in text_of(html)
    rows = table_rows(html, "comparison-sexual-communication-with-a-child")
    assert {row[0]: row[2] for row in rows} == {name: str(count) for name, count in counts.items()}


def test_a_region_page_lists_its_forces(seeded, client):
    html = client.get("/areas/E12000005/").content.decode()
    for code in ("E23000014", "E23000015", "E23000016", "E23000017"):
        assert f'href="/areas/{code}/"' in html


def test_an_area_without_figures_says_so(seeded, client):
    text = text_of(client.get("/areas/E23000013/").content.decode())
    assert "No figures have been published for Cleveland Police in our sources yet." in text


def test_an_unknown_code_gets_a_helpful_404(seeded, client):
    response = client.get("/areas/E2300014/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We have no area with the code E2300014" in html
    assert 'href="/areas/E23000014/"' in html  # did you mean West Midlands Police?


def test_a_lower_case_code_finds_its_area(seeded, client):
    assert client.get("/areas/e23000014/").status_code == 200
