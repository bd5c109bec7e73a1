"""Every force and nation has figures: area pages open with their latest figure of any offence,
its caveats and a comparison with England and Wales (or the UK) as a rate; Scotland and
Northern Ireland have pages like any force; the words follow the data."""

import re

from stats.models import Figure, Geography, Population
from stats.rates import Estimate, Rate, rebasing_notes
from tests.pages import text_of


def _lead(client, code: str) -> str:
    html = client.get(f"/areas/{code}/").content.decode()
    (lead,) = re.findall(r'<p class="lead">(.*?)</p>', html, re.S)
    return text_of(lead)


def _rate(code: str, offence: str, period: str, year: int) -> float:
    count = Figure.objects.current().get(
        geography__code=code, offence__slug=offence, period__label=period, measure__slug="offences-recorded"
    )
    children = Population.objects.current().get(geography__code=code, year=year, age_band="0-17")
    return round(float(count.value) / children.value * 10_000, 1)


def test_every_force_and_nation_opens_with_its_latest_figure_and_an_offence_named(seeded, client):
    areas = Geography.objects.filter(level__in=["police_force_area", "nation"])
    assert areas.count() == 43 + 4
    offences = [name.lower() for name in Figure.objects.values_list("offence__name", flat=True).distinct()]
    for area in areas:
        text = text_of(client.get(f"/areas/{area.code}/").content.decode())
        lead = _lead(client, area.code)
        assert re.match(r"In \d{4}(/\d{2})?, the latest year published here, ", lead), area.name
        assert any(f"counted as {offence}" in lead.lower() for offence in offences), area.name
        assert "No figures have been published" not in text, area.name


def test_thames_valley_is_compared_with_england_and_wales_as_a_rate_for_the_same_offence_and_year(seeded, client):
    lead = _lead(client, "E23000029")
    count = Figure.objects.current().get(geography__code="E23000029", offence__slug="sexual-grooming")
    here, there = (
        _rate("E23000029", "sexual-grooming", "2017/18", 2017),
        _rate("K04000001", "sexual-grooming", "2017/18", 2017),
    )
    assert lead.startswith(
        f"In 2017/18, the latest year published here, Thames Valley Police recorded {count.value:,.0f} offences "
        "counted as sexual grooming (Home Office 88A)."
    )
    assert f"That is {here} per 10,000 children aged 0 to 17, lower than the {there} across England and Wales" in lead
    assert here < there


def test_a_part_year_and_a_low_latest_year_are_said_in_the_lead(seeded, client):
    west_midlands = _lead(client, "E23000014")
    assert "recorded 202 offences counted as online grooming crimes (West Midlands Police)" in west_midlands
    assert "There is no figure for England and Wales or the UK for the same offence and year" in west_midlands
    hampshire = _lead(client, "E23000030")
    assert "recorded 95 offences counted as sexual communication with a child" in hampshire
    assert "It is less than half the 279 of 2022/23; read the source's note on the figure before using it." in hampshire
    # England and Wales has no s.15A figure for 2023/24: the NSPCC counted the UK that year.
    assert "across the UK for the same offence and year (the UK total also counts Scotland's offences" in hampshire


def test_scotland_has_a_page_for_its_own_offence_never_compared_with_another_law(seeded, client):
    html = client.get("/areas/S92000003/").content.decode()
    text = text_of(html)
    lead = _lead(client, "S92000003")
    latest = Figure.objects.current().filter(geography__code="S92000003").order_by("-period__end").first()
    assert latest.offence.slug == "communicating-indecently-with-a-child"
    assert lead.startswith(
        f"In {latest.period.label}, the latest year published here, Police Scotland recorded "
        f"{latest.value:,.0f} offences counted as communicating indecently with a child (Scotland)."
    )
    assert "There is no figure for the UK for the same offence and year to compare it with." in lead
    # The day sexual communication with a child became an offence in England and Wales is not a
    # key date of Scotland's own offence; the first lockdown is.
    key = text_of(html.split('class="chart__key"', 1)[1].split("</ul>", 1)[0])
    assert "Sexual communication with a child becomes an offence" not in key
    assert "First national lockdown" in key
    england_and_wales = client.get("/areas/K04000001/?offence=sexual-grooming").content.decode()
    assert "Sexual communication with a child becomes an offence" in england_and_wales  # 88A includes it
    assert "What these figures count" in text and "Sexual Offences (Scotland) Act 2009" in text
    assert "Policed by Police Scotland, the one police force for all of Scotland" in text
    assert 'href="/areas/K02000001/">United Kingdom</a>' in html


def test_northern_ireland_is_compared_with_the_uk_using_its_own_population(seeded, client):
    lead = _lead(client, "N92000002")
    here = _rate("N92000002", "sexual-communication-with-a-child", "2022/23", 2022)
    assert "the Police Service of Northern Ireland recorded 198 offences" in lead
    assert f"That is {here} per 10,000 children aged 0 to 17" in lead
    assert "across the UK for the same offence and year" in lead
    assert "rose" in lead or "stayed about the same" in lead  # then how its own series changed


def test_the_lead_follows_the_data(seeded, client, make_figure):
    from stats.models import Period

    thames_valley = Geography.objects.get(code="E23000029")
    offence = Figure.objects.filter(offence__slug="sexual-communication-with-a-child").first().offence
    measure = Figure.objects.filter(measure__slug="offences-recorded").first().measure
    make_figure(
        geography=thames_valley, offence=offence, measure=measure, period=Period.objects.get(label="2023/24"), value=300
    )
    lead = _lead(client, "E23000029")
    assert lead.startswith("In 2023/24, the latest year published here, Thames Valley Police recorded 300 offences")
    assert "sexual communication with a child" in lead


def test_call_999_is_a_phone_link_on_area_pages(seeded, client):
    for path in ("/areas/E23000029/", "/areas/E23000029/figures/"):
        assert '<a href="tel:999">999</a>' in client.get(path).content.decode()


def test_a_sources_notes_reach_the_page_beside_the_chart(seeded, client):
    html = client.get("/areas/E23000030/").content.decode()
    notes = text_of(html.split('class="card__source-notes"', 1)[1].split("</details>", 1)[0])
    assert "Hampshire Constabulary, 2020/21 (18):" in notes and "incomplete return" in notes
    summary = text_of(html)
    assert "The 2020/21 figure (18) is less than half the figures either side of it" in summary


def test_a_rate_across_the_2021_rebasing_says_so():
    def rate(code: str, year: int) -> Rate:
        return Rate(1, Estimate(code, year, "0-17", 100_000, "ONS"))

    (note,) = rebasing_notes([rate("E23000014", 2019), rate("E23000014", 2020), rate("E23000014", 2022)])
    assert note.startswith("ONS later rebased its estimates for England and Wales up to mid-2020 on Census 2021")
    assert "The rates here for mid-2019 to mid-2020 use the estimates as first published" in note
    assert rebasing_notes([rate("E23000014", 2021), rate("E23000014", 2023)]) == []
    assert rebasing_notes([rate("E23000014", 2018), rate("S92000003", 2019)]) == []  # each on its own side
    (scottish,) = rebasing_notes([rate("S92000003", 2021), rate("S92000003", 2022)])
    assert "NRS later rebased its estimates for Scotland up to mid-2021 on Census 2022." in scottish


def test_a_trend_of_rates_from_both_sides_of_the_rebasing_says_so_on_the_page(seeded, client):
    html = client.get("/trends/?geography=E12000005&show=rate").content.decode()
    assert "ONS later rebased its estimates for England and Wales up to mid-2020 on Census 2021" in text_of(html)


def test_about_explains_88a_scotland_and_the_home_office_table_from_the_data(seeded, client):
    text = text_of(client.get("/about/").content.decode())
    assert "counts sexual communication with a child (section 15A) together with meeting a child" in text
    assert "it is not the NSPCC's series of section 15A offences" in text
    assert "Kent Police 45 against 122" in text  # generated from the two figures we hold
    assert "Police recorded crime open data tables by police force area, 2017/18 (copy taken August 2019)" in text
    assert "Scotland counts a different offence." in text
    assert "for England and Wales mid-2017 to mid-2024" in text
    assert "rebased its estimates for England and Wales up to mid-2020 on Census 2021" in text
