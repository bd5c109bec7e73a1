"""An uncached page reads only what it shows: its cost does not grow with figures it does not show.

Each test counts the figure records a page builds (and, where the page pages, what it
lists) before and after adding figures the page does not show. Query counts are checked
for every public page in tests/test_cards.py.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import stats.models.figures
from stats.models import Figure, Geography, Measure, Offence, Period, Population, Source
from stats.models.revisions import Status
from tests.growth import add_figures
from tests.pages import download, text_of


@pytest.fixture
def records_built(monkeypatch):
    """How many figure records the next request builds: what it read of the figures."""
    built = []
    real = stats.models.figures._as_records

    def counting(rows):
        for record in real(rows):
            built.append(record.id)
            yield record

    monkeypatch.setattr(stats.models.figures, "_as_records", counting)

    def count(client, path: str) -> int:
        built.clear()
        assert client.get(path).status_code == 200, path
        return len(built)

    return count


def _other_periods(make_figure, years: int) -> None:
    """Counts for every force, offence and measure in years no page opens on, some restated."""
    forces = list(Geography.objects.filter(level="police_force_area"))
    offence = Offence.objects.get(slug="sexual-grooming")
    measure = Measure.objects.get(slug="charge-or-summons")
    for n in range(years):
        period = Period.objects.create(
            label=f"{1995 + n}/{(1996 + n) % 100:02d}",
            kind="financial_year",
            start=dt.date(1995 + n, 4, 1),
            end=dt.date(1996 + n, 3, 31),
        )
        early = Source.objects.create(publisher="P", title=f"Early {n}", published=dt.date(1997 + n, 1, 1))
        later = Source.objects.create(publisher="P", title=f"Later {n}", published=dt.date(1998 + n, 1, 1))
        for force in forces:
            common = {"geography": force, "offence": offence, "measure": measure, "period": period}
            make_figure(**common, source=early, value=5, status=Status.REVISION)
            make_figure(**common, source=later, value=6)


def test_the_map_reads_one_period_however_many_are_published(seeded, client, make_figure, records_built):
    before = records_built(client, "/map/")
    _other_periods(make_figure, 6)
    assert records_built(client, "/map/") == before <= 43
    # A chosen period reads that period's figures alone: one per force.
    assert records_built(client, "/map/?offence=sexual-grooming&measure=charge-or-summons&period=1996%2F97") == 43


def test_the_home_page_reads_the_same_figures_whatever_else_is_published(seeded, client, make_figure, records_built):
    before = records_built(client, "/")
    _other_periods(make_figure, 6)
    add_figures(make_figure, 10)
    # Ten new years of the UK's and the West Midlands region's headline series are shown; the
    # forces' 43 x 6 counts and two forces' new years are not read at all.
    assert records_built(client, "/") <= before + 20


def test_an_area_page_never_reads_another_areas_figures(seeded, client, make_figure, records_built):
    before = records_built(client, "/areas/E23000001/")
    listed = records_built(client, "/areas/E23000001/figures/")
    _other_periods(make_figure, 4)
    # It charts offences recorded, so the new charge figures are only counted, in SQL.
    assert records_built(client, "/areas/E23000001/") == before
    # The list of every figure reads its own four new charge figures and their revisions,
    # nothing of the 42 other forces'.
    assert records_built(client, "/areas/E23000001/figures/") == listed + 8


def test_an_area_page_charts_three_offences_however_many_are_published(seeded, client, make_figure, records_built):
    area = Geography.objects.get(code="E23000014")
    recorded = Measure.objects.get(slug="offences-recorded")
    period = Period.objects.get(label="2022")
    before = records_built(client, "/areas/E23000014/")
    for n in range(5):
        offence = Offence.objects.create(slug=f"offence-{n}", name=f"Offence {n}", description="-", legal_basis="-")
        make_figure(geography=area, offence=offence, measure=recorded, period=period, value=n + 1)
    assert records_built(client, "/areas/E23000014/") <= before + 3


def test_the_map_counts_rates_by_the_rate_rule(seeded):
    """force_coverage counts in SQL what Denominators.rate would say of every record."""
    rates = Population.objects.denominators()
    records = Figure.objects.force_counts().records()
    for row in Figure.objects.force_coverage(rates):
        chosen = [
            f
            for f in records
            if (f.offence_slug, f.measure_slug, f.period.label)
            == (row.offence_slug, row.measure_slug, row.period.label)
        ]
        assert row.forces == len(chosen)
        assert row.forces_with_rate == sum(1 for f in chosen if rates.rate(f).value is not None)


def test_areas_with_a_rate_follow_the_rate_rule(seeded):
    for band in ("0-17", "0-15"):
        rates = Population.objects.denominators(band)
        for figure in Figure.objects.for_display().records():
            if figure.unit == "count":
                has_rate = rates.rate(figure).value is not None
                assert (figure.area_code in rates.areas_with_rate(figure.period)) == has_rate, figure


# /sources/ -----------------------------------------------------------------------------------


@pytest.fixture
def many_sources(seeded, make_figure):
    """60 more sources (so the list has two pages), one of them giving 230 figures."""
    areas = list(Geography.objects.filter(level="police_force_area").order_by("code")[:6])
    offence = Offence.objects.get(slug="sexual-grooming")
    measure = Measure.objects.get(slug="offences-recorded")
    periods = [
        Period.objects.create(
            label=f"19{n:02d}", kind="calendar_year", start=dt.date(1900 + n, 1, 1), end=dt.date(1900 + n, 12, 31)
        )
        for n in range(90, 100)
    ]
    sources = [
        Source.objects.create(
            publisher=f"Local paper {n}", title=f"Report {n}", published=dt.date(2026, 1, 1) + dt.timedelta(days=n)
        )
        for n in range(60)
    ]
    series = [(area, period) for area in areas for period in periods]
    for source, (area, period) in zip(sources, series, strict=True):
        make_figure(geography=area, offence=offence, measure=measure, period=period, source=source, value=7)
    big = sources[-1]
    other = Offence.objects.get(slug="sexual-communication-with-a-child")
    for code in Geography.objects.values_list("code", flat=True)[:23]:
        for period in periods:
            area = Geography.objects.get(code=code)
            make_figure(geography=area, offence=other, measure=measure, period=period, source=big, value=3)
    return big


def test_sources_are_listed_fifty_to_a_page_with_counts_and_a_link_to_all_their_figures(many_sources, client):
    first = client.get("/sources/").content.decode()
    assert first.count('class="source"') == 50
    assert f'id="source-{many_sources.pk}"' in first  # the newest first
    text = text_of(first)
    assert "231 figures on this dashboard" in text  # 230 in the loop, one before it
    assert f'href="?source={many_sources.pk}"' in first and "All 231 figures from" in text
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/sources/?page=2").content.decode()
    listed = Source.objects.shown().count()
    assert second.count('class="source"') == min(50, listed - 50)
    assert 'rel="prev"' in second and f"Page 2 of {-(-listed // 50)}." in text_of(second)


def test_a_source_shows_its_first_ten_figures_in_the_list(many_sources, client):
    html = client.get("/sources/").content.decode()
    section = html.split(f'id="source-{many_sources.pk}"', 1)[1].split("</li>", 1)[0]
    assert section.count('<td class="numeric">') == 10


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999", "1.5", "²", "%00"])
def test_a_bad_page_number_never_breaks_the_list(many_sources, client, page):
    response = client.get(f"/sources/?page={page}")
    assert response.status_code == 200


def test_one_sources_figures_are_paged_a_hundred_at_a_time(many_sources, client):
    html = client.get(f"/sources/?source={many_sources.pk}").content.decode()
    assert html.count('<td class="numeric">') == 100
    assert "231 figures on this dashboard" in text_of(html)
    assert f'href="?source={many_sources.pk}&amp;page=2" rel="next"' in html
    last = client.get(f"/sources/?source={many_sources.pk}&page=3").content.decode()
    assert last.count('<td class="numeric">') == 31
    assert f'href="?source={many_sources.pk}&amp;page=2" rel="prev"' in last
    assert f'href="/api/v1/figures?source={many_sources.pk}&amp;revisions=all"' in last


@pytest.mark.parametrize("source", ["999999999", "abc", "²", "-3", "99999999999999999999999"])
def test_an_unknown_source_lists_every_source_and_says_so(seeded, client, source):
    response = client.get(f"/sources/?source={source}")
    assert response.status_code == 200
    assert "There is no source with that number on the dashboard" in text_of(response.content.decode())


def test_the_sources_page_reads_the_same_however_many_figures_a_source_gives(many_sources, client, make_figure):
    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/sources/").content.decode()
        return len(queries), html.count('<td class="numeric">')

    before = cost()
    series = {
        "geography": Geography.objects.get(code="E23000015"),
        "offence": Offence.objects.get(slug="sexual-grooming"),
        "measure": Measure.objects.get(slug="offences-recorded"),
    }
    for period in Period.objects.filter(kind="calendar_year", start__year__lt=2000):
        make_figure(**series, period=period, source=many_sources, value=1)
    assert cost() == before


# Long tables ------------------------------------------------------------------------------------


def test_the_table_of_every_figure_of_an_area_lists_a_hundred_and_downloads_them_all(seeded, client, make_figure):
    area = Geography.objects.get(code="E23000014")
    offence = Offence.objects.get(slug="sexual-grooming")
    charges = Measure.objects.get(slug="charge-or-summons")
    for n in range(120):
        period = Period.objects.create(
            label=f"Span {n}", kind="other", start=dt.date(1990, 1, 1) + dt.timedelta(days=n), end=dt.date(1991, 6, 1)
        )
        make_figure(geography=area, offence=offence, measure=charges, period=period, value=n)
    html = client.get("/areas/E23000014/figures/").content.decode()
    section = html.split('id="all-figures"', 1)[1].split("</figure>", 1)[0]
    total = Figure.objects.published().filter(geography=area).count()
    assert len(re.findall(r"<tr><th scope=\"row\">", section)) == 100
    assert f"The table lists the first 100 of these {total:,} figures" in text_of(section)
    assert len(download(client, "/areas/E23000014/figures/?card=all-figures&format=csv")) == total
