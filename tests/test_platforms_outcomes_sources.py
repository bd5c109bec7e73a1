"""/platforms/, /outcomes/, /sources/ and /about/."""

import datetime as dt

from stats.models import Figure, Source
from stats.publishing import corrected_row
from stats.releases import Entry, SourceDetails, publish, withdraw
from tests.pages import bars_of, charts_of, table_rows, text_of


def test_platform_shares_come_with_their_denominator_and_overlap_note(seeded, client):
    text = text_of(client.get("/platforms/").content.decode())
    assert (
        "Of the 2,111 offences where police recorded the platform (United Kingdom, 2024/25), "
        "Snapchat was recorded in about 40%, the highest share of any single platform."
    ) in text
    assert "shares can overlap and need not add up to 100%" in text


def test_a_release_without_a_published_denominator_says_so(seeded, client):
    url = "/platforms/?view=K02000001%3A2021%2F22"
    text = text_of(client.get(url).content.decode())
    assert "their number was not published" in text
    assert "Snapchat was recorded in 33%" in text


def test_the_chosen_release_is_charted(seeded, client):
    html = client.get("/platforms/?view=K04000001%3A2017%2F18").content.decode()
    assert bars_of(charts_of(html)["platforms-chart"]) == {
        "Instagram": 20,
        "Facebook": 30,
        "Snapchat": 20,
        "WhatsApp": 4,
    }
    assert "Of the 2,117 offences" in text_of(html)


def test_every_published_share_is_tabled(seeded, client):
    rows = table_rows(client.get("/platforms/").content.decode(), "all-shares")
    shares = Figure.objects.current().filter(measure__slug="platform-share").count()
    denominators = Figure.objects.current().filter(measure__slug="offences-with-platform-recorded").count()
    assert len(rows) == shares + denominators


def test_outcomes_show_counts_and_rates_one_offence_and_period_at_a_time(seeded, client):
    html = client.get("/outcomes/").content.decode()
    # The most areas first, then the latest period: both have one area, and 2017 to 2022 ends later.
    assert [row[:6] for row in table_rows(html, "outcomes")] == [
        ["West Midlands Police", "2017 to 2022", "Online grooming crimes (West Midlands Police)", "89", "732", "12.2%"]
    ]
    assert (
        '<option value="sexual-grooming:2021/22">Sexual grooming (Home Office 88A), 2021/22 (1 area)</option>' in html
    )
    html = client.get("/outcomes/?view=sexual-grooming:2021/22").content.decode()
    assert [row[:6] for row in table_rows(html, "outcomes")] == [
        ["Avon and Somerset Constabulary", "2021/22", "Sexual grooming (Home Office 88A)", "23", "245", "9.4%"]
    ]


def test_an_unknown_outcome_view_shows_the_first_with_a_message(seeded, client):
    for view in ("nope", "sexual-grooming:1999", "%00", ":", "x" * 5000):
        response = client.get(f"/outcomes/?view={view}")
        assert response.status_code == 200
        text = text_of(response.content.decode())
        assert "we have no figures for" in text
        assert "West Midlands Police" in text


def test_outcomes_read_one_offence_and_period_however_many_are_published(seeded, client, make_figure):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stats.models import Geography, Measure, Offence, Period

    def rows_read() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/outcomes/").status_code == 200
        return len(queries), len(table_rows(client.get("/outcomes/").content.decode(), "outcomes"))

    before = rows_read()
    area = Geography.objects.get(code="E23000014")
    offence = Offence.objects.get(slug="online-grooming")
    charges, recorded = Measure.objects.get(slug="charge-or-summons"), Measure.objects.get(slug="offences-recorded")
    for year in range(1990, 2000):
        period = Period.objects.create(
            label=str(year), kind="calendar_year", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
        )
        make_figure(geography=area, offence=offence, measure=charges, period=period, value=1)
        make_figure(geography=area, offence=offence, measure=recorded, period=period, value=10)
    assert rows_read() == before
    html = client.get("/outcomes/?view=online-grooming:1995").content.decode()
    assert [row[:6] for row in table_rows(html, "outcomes")] == [
        ["West Midlands Police", "1995", "Online grooming crimes (West Midlands Police)", "1", "10", "10.0%"]
    ]


def test_sources_list_every_publication_with_its_first_figures(seeded, client):
    sources = Source.objects.all()
    pages = [client.get(f"/sources/?page={page}").content.decode() for page in range(1, -(-sources.count() // 50) + 1)]
    html = "".join(pages)
    for source in sources:
        assert html.count(f'id="source-{source.pk}"') == 1
    # Each source shows its first ten figures, with a link to the rest.
    shown = sum(min(10, source.figures.filter(status__in=["current", "revision"]).count()) for source in sources)
    assert html.count('<td class="numeric">') == shown
    assert "Restated by a later publication." in html


def test_a_source_whose_figures_were_all_withdrawn_is_not_listed(seeded, client):
    figure = Figure.objects.with_provenance().get(
        geography__code="E23000022", offence__slug="sexual-communication-with-a-child"
    )
    mistaken = SourceDetails("Someone", "A mistaken release", "2026-11-20")
    entry = Entry(corrected_row(figure, value="53", note=""), mistaken)
    release, _ = publish(entries=[entry], kind="upload", summary="test")
    added = release.figures.get().source_id
    assert f'id="source-{added}"' in client.get("/sources/").content.decode()
    withdraw(release=release, reason="wrong")
    html = client.get("/sources/").content.decode()
    assert f'id="source-{added}"' not in html and f'id="source-{figure.source_id}"' in html


def test_about_defines_offences_and_explains_comparability(seeded, client):
    text = text_of(client.get("/about/").content.decode())
    assert "Section 15A of the Sexual Offences Act 2003" in text
    assert "3,171 in 2018, restated as 3,217 in 2019" in text
    assert "Accessibility statement" in text
