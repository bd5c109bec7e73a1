"""/areas/ and /areas/<code>/: every area, its figures, family and regional comparison."""

import re

from django.db.models import Max

from dashboard.areas_in_words import areas_sentence
from dashboard.views.areas import OFFENCES_SHOWN
from stats.models import Figure, Geography, Measure, Offence, Period, Population
from tests.pages import bars_of, charts_of, table_rows, text_of


def test_the_list_links_every_area(seeded, client):
    html = client.get("/areas/").content.decode()
    for code in Geography.objects.values_list("code", flat=True):
        assert f'href="/areas/{code}/"' in html


def test_the_lead_counts_and_names_the_areas_actually_stored(seeded, client):
    text = text_of(client.get("/areas/").content.decode())
    assert (
        "The United Kingdom and its parts: England and Wales, one police jurisdiction of two nations "
        "(England, with its 9 regions, and Wales) and 43 police force areas; Northern Ireland; and Scotland. "
        "Each shows how many published figures it has."
    ) in text
    assert "4 nations" not in text
    assert "This dashboard has no pages for" not in text


def test_the_lead_follows_the_data(seeded):
    without_northern_ireland = [area for area in Geography.objects.all() if area.code != "N92000002"]
    sentence = areas_sentence(without_northern_ireland)
    assert "43 police force areas and Scotland." in sentence
    assert sentence.endswith("This dashboard has no pages for Northern Ireland.")


def test_every_force_has_figures_so_none_says_no_figures_yet(seeded, client):
    text = text_of(client.get("/areas/").content.decode())
    forces = Geography.objects.filter(level="police_force_area")
    assert forces.filter(figures__status__in=["current", "revision"]).distinct().count() == 43
    assert "no figures yet" not in text
    assert "publish no figure" not in text
    assert " 0 figures" not in text


def test_a_force_whose_figures_are_withdrawn_says_no_figures_yet_and_the_page_explains_why_once(seeded, client):
    Figure.objects.filter(geography__code__in=["E23000015", "E23000013"]).update(status="withdrawn")
    html = client.get("/areas/").content.decode()
    text = text_of(html)
    assert "E23000015 \u00b7 no figures yet" in text
    assert "E23000013 \u00b7 no figures yet" in text  # Cleveland Police
    assert (
        "41 of the 43 police force areas have at least one published figure of their own in the sources we "
        "hold; the others show \u201cno figures yet\u201d."
    ) in text
    assert text.count("no figure of their own") + text.count("figure of their own in the sources") == 1
    (note,) = re.findall(r'<p class="caveat">(.*?)</p>', html, re.S)
    assert re.findall(r'<a href="/areas/(\w+)/">', note)[:2] == ["K02000001", "K04000001"]


def test_a_force_page_shows_its_parent_and_links_to_every_figure(seeded, client):
    response = client.get("/areas/E23000014/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/areas/E12000005/">West Midlands</a>' in html
    assert "7 figures from 3 sources" in text_of(html)
    assert 'href="/areas/E23000014/figures/"' in html
    response = client.get("/areas/E23000014/figures/")
    assert response.status_code == 200
    rows = table_rows(response.content.decode(), "all-figures")
    assert len(rows) == 7
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
    bars = bars_of(chart)
    counts = {"West Midlands Police": 141, "Staffordshire Police": 105, "Warwickshire Police": 24}
    children = dict(
        Population.objects.filter(geography__name__in=counts, year=2022, age_band="0-17").values_list(
            "geography__name", "value"
        )
    )
    expected = {name: round(count / children[name] * 10_000, 1) for name, count in counts.items()}
    shown = {label.removesuffix(" (this area)"): value for label, value in bars.items()}
    assert shown == expected
    assert "West Midlands Police (this area)" in bars
    top = max(expected, key=expected.get)
    assert f"{top} had the highest rate per 10,000 children ({expected[top]})" in text_of(html)
    rows = table_rows(html, "comparison-sexual-communication-with-a-child")
    assert {row[0]: row[2] for row in rows} == {name: str(count) for name, count in counts.items()}


def test_a_region_page_lists_its_forces(seeded, client):
    html = client.get("/areas/E12000005/").content.decode()
    for code in ("E23000014", "E23000015", "E23000016", "E23000017"):
        assert f'href="/areas/{code}/"' in html


def test_an_area_without_figures_says_so(seeded, client):
    Figure.objects.filter(geography__code="E23000013").update(status="withdrawn")
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


def test_the_every_figure_summary_mentions_restatements_only_when_there_are_some(seeded, client):
    force = text_of(client.get("/areas/E23000014/").content.decode())
    assert "Every figure published for West Midlands Police" in force
    assert "that a later one restated" not in force
    england_and_wales = text_of(client.get("/areas/K04000001/").content.decode())
    assert "including 1 from an earlier publication that a later one restated" in england_and_wales


def test_an_area_page_leads_with_the_latest_change_and_help_before_its_codes(seeded, client):
    html = client.get("/areas/E12000005/").content.decode()
    lead = html.index("West Midlands: offences recorded fell by 14%, from 457 in 2023/24 to 391 in 2024/25.")
    assert lead < html.index("Report or get help now") < html.index("ONS code")


def _more_offences(make_figure, count: int) -> list[str]:
    """West Midlands Police gets offences-recorded counts for `count` new offences, in 2022."""
    area = Geography.objects.get(code="E23000014")
    recorded = Measure.objects.get(slug="offences-recorded")
    period = Period.objects.get(label="2022")
    slugs = []
    for n in range(count):
        offence = Offence.objects.create(slug=f"offence-{n}", name=f"Offence {n}", description="-", legal_basis="-")
        make_figure(geography=area, offence=offence, measure=recorded, period=period, value=n + 1)
        slugs.append(offence.slug)
    return slugs


def test_an_area_with_many_offences_charts_the_latest_three_and_links_to_the_rest(seeded, client, make_figure):
    _more_offences(make_figure, 4)
    html = client.get("/areas/E23000014/").content.decode()
    charted = re.findall(r'<figure class="card" id="trend-([a-z0-9-]+)"', html)
    assert len(charted) == OFFENCES_SHOWN
    offered = set(re.findall(r'href="/areas/E23000014/\?offence=([a-z0-9-]+)"', html))
    latest = dict(
        Figure.objects.published()
        .filter(geography__code="E23000014", measure__slug="offences-recorded")
        .values_list("offence__slug")
        .annotate(end=Max("period__end"))
    )
    assert offered == set(latest) - set(charted) and offered
    # The offences with the latest figures are charted, the latest first.
    ends = [latest[slug] for slug in charted]
    assert ends == sorted(ends, reverse=True)
    assert all(latest[slug] <= ends[-1] for slug in offered)


def test_one_offence_of_an_area_has_its_own_address(seeded, client, make_figure):
    slugs = _more_offences(make_figure, 4)
    html = client.get(f"/areas/E23000014/?offence={slugs[-1]}").content.decode()
    assert re.findall(r'<figure class="card" id="trend-([a-z0-9-]+)"', html) == [slugs[-1]]
    assert "Showing offence 3 only" in text_of(html)
    assert 'href="/areas/E23000014/"' in html  # back to the latest offences
    # Its downloads, permalinks and embeds keep the choice.
    assert f"?offence={slugs[-1]}&amp;card=trend-{slugs[-1]}&amp;format=csv" in html
    download = client.get(f"/areas/E23000014/?offence={slugs[-1]}&card=trend-{slugs[-1]}&format=csv")
    assert download.status_code == 200 and b"Offence 3" in download.content


def test_an_unknown_offence_shows_the_latest_with_a_message(seeded, client):
    response = client.get("/areas/E23000014/?offence=%00nope")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "we have no figures for" in text and "Showing the latest offences instead." in text
