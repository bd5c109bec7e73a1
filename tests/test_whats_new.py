"""What's new: every release in words, its changed figures, and the Atom feed of releases."""

import datetime as dt
import re
import xml.etree.ElementTree as ET  # parses only the feed this site writes
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Figure, Geography, Release
from stats.publishing import corrected_row
from stats.releases import Entry, SourceDetails, correct_figure, publish, withdraw
from tests.conftest import SEED_RELEASES
from tests.pages import SITE, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
SOURCE = SourceDetails("NSPCC", "A test release for What's new", "2026-11-13")


def _row(code: str, year: int, value: int = 150) -> FigureRow:
    period = PeriodSpan(
        f"{year}/{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "financial_year"
    )
    return FigureRow(
        code, period, "sexual-communication-with-a-child", "offences-recorded", "", Decimal(value), "count", ""
    )


def _release(*rows: FigureRow, published_at: dt.datetime | None = None) -> Release:
    release, _ = publish(
        entries=[Entry(row, SOURCE) for row in rows],
        kind=Release.Kind.UPLOAD,
        summary=f"{len(rows)} new figures for testing",
        published_at=published_at,
    )
    return release


def _forces() -> list[str]:
    return list(Geography.objects.filter(level="police_force_area").order_by("code").values_list("code", flat=True))


@pytest.fixture
def many_releases(seeded) -> Release:
    """25 more releases of one figure each, then one that adds 129 figures, as a Home Office table does."""
    for year in range(1995, 2020):
        _release(_row("E23000014", year))
    return _release(*(_row(code, year) for code in _forces() for year in (2025, 2026, 2027)))


def _sections(html: str) -> dict[int, str]:
    """Each release's section on the page, by number."""
    found = re.findall(r'<section class="release" id="release-(\d+)"(.*?)</section>', html, re.S)
    return {int(number): body for number, body in found}


def test_it_lists_every_release_newest_first_with_its_date_kind_and_counts(seeded, client):
    response = client.get("/whats-new/")
    assert response.status_code == 200
    sections = _sections(response.content.decode())
    assert list(sections) == list(range(SEED_RELEASES, 0, -1))
    table = text_of(sections[3])
    assert "Release 3: Home Office police recorded crime for 2017/18" in table and "55 new figures" in table
    assert "Data shipped with the dashboard, published on this dashboard on 7 December 2026" in table
    second = text_of(sections[2])
    assert "Release 2: Sexual communication with a child in Cheshire" in second
    assert "published on this dashboard on 23 November 2026" in second
    assert "11 new figures" in second
    first = text_of(sections[1])
    assert "67 new figures" in first and "new population estimates" in first


def test_each_changed_figure_is_said_in_words_and_links_to_its_page(seeded, client):
    release = _release(_row("E23000014", 2010, value=4321))
    figure = Figure.objects.get(release=release)
    section = _sections(client.get("/whats-new/").content.decode())[release.number]
    assert f'href="/figures/{figure.pk}/"' in section
    row = text_of(section.split("<tbody>")[1])
    assert "West Midlands Police, 2010/11: Offences recorded (sexual communication with a child)" in row
    assert "Added none 4,321" in row  # nothing before, 4,321 now
    assert "1 new figure" in text_of(section)


def test_a_correction_shows_its_reason_and_the_old_and_new_values(seeded, client):
    figure = Figure.objects.current().with_provenance().get(geography__code="E12000005", period__label="2024/25")
    release = correct_figure(
        figure=figure, row=corrected_row(figure, value="392", note=""), reason="Typed 391 for 392."
    )
    section = text_of(_sections(client.get("/whats-new/").content.decode())[release.number])
    assert f"Release {release.number}: Correction" in section
    assert "Why: Typed 391 for 392." in section
    assert "Corrected 391 392" in section
    assert "1 figure corrected" in section


def test_a_withdrawn_release_names_its_withdrawal_and_the_withdrawal_links_back(seeded, client):
    release = _release(_row("E23000014", 2011), _row("E23000015", 2011))
    withdrawal = withdraw(release=release, reason="Published the wrong file.")
    sections = _sections(client.get("/whats-new/").content.decode())
    withdrawn = sections[release.number]
    assert (
        f'Withdrawn</strong> by <a href="/whats-new/{withdrawal.number}/">release {withdrawal.number}</a>' in withdrawn
    )
    undoing = sections[withdrawal.number]
    assert f'withdrew <a href="/whats-new/{release.number}/">release {release.number}</a>' in undoing
    assert "Why: Published the wrong file." in text_of(undoing)
    assert "2 figures withdrawn" in text_of(undoing)


def test_a_long_list_of_changes_is_cut_short_with_a_link_to_all_of_them(many_releases, client):
    section = _sections(client.get("/whats-new/").content.decode())[many_releases.number]
    assert section.count('href="/figures/') == 5
    assert "The first 5 of the 129 figures" in section
    assert f'<a href="/whats-new/{many_releases.number}/">See all 129 figures' in section

    page_one = client.get(f"/whats-new/{many_releases.number}/").content.decode()
    page_two = client.get(f"/whats-new/{many_releases.number}/?page=2").content.decode()
    assert page_one.count('href="/figures/') == 100 and page_two.count('href="/figures/') == 29
    linked = set(re.findall(r'href="/figures/(\d+)/"', page_one + page_two))
    assert linked == {str(pk) for pk in Figure.objects.filter(release=many_releases).values_list("pk", flat=True)}
    assert "1 to 100 of 129" in page_one


def test_the_page_costs_the_same_queries_whatever_the_number_of_releases_and_changes(seeded, client):
    with CaptureQueriesContext(connection) as few:
        client.get("/whats-new/")
    release_page = f"/whats-new/{Release.objects.filter(figures_added__gt=0).latest('number').number}/"
    with CaptureQueriesContext(connection) as one:
        client.get(release_page)
    for year in range(1995, 2020):
        _release(_row("E23000014", year))
    big = _release(*(_row(code, year) for code in _forces() for year in (2025, 2026, 2027)))
    withdraw(release=Release.objects.get(number=SEED_RELEASES + 3), reason="Testing.")
    for page in ("/whats-new/", "/whats-new/?page=2"):
        with CaptureQueriesContext(connection) as many:
            assert client.get(page).status_code == 200
        assert len(many) <= len(few), page
    with CaptureQueriesContext(connection) as all_of_them:
        client.get(f"/whats-new/{big.number}/?page=2")
    assert len(all_of_them) <= len(one)


def test_the_page_query_count_is_fixed(many_releases, client, django_assert_max_num_queries):
    # Count the releases, read a page of them, count their changes, read the first few: four queries.
    with django_assert_max_num_queries(4):
        assert client.get("/whats-new/").status_code == 200
    with django_assert_max_num_queries(5):  # plus the release itself
        assert client.get(f"/whats-new/{many_releases.number}/").status_code == 200


def test_releases_are_paginated_at_20_and_a_bad_page_never_fails(many_releases, client):
    newest = many_releases.number
    assert list(_sections(client.get("/whats-new/").content.decode())) == list(range(newest, newest - 20, -1))
    second = client.get("/whats-new/?page=2").content.decode()
    assert list(_sections(second)) == list(range(newest - 20, 0, -1))
    assert f'<link rel="canonical" href="{SITE}/whats-new/?page=2">' in second
    assert 'href="/whats-new/" rel="prev"' in second
    for bad, shown in [("abc", 1), ("0", 2), ("-1", 2), ("3", 2), ("99999999999999999999", 2), ("1e9", 1), ("%00", 1)]:
        response = client.get(f"/whats-new/?page={bad}")
        assert response.status_code == 200, bad
        assert f"Page {shown} of 2." in text_of(response.content.decode()), bad
    for bad in ("abc", "-5", "999"):
        assert client.get(f"/whats-new/{newest}/?page={bad}").status_code == 200


def test_an_unknown_release_is_not_found(seeded, client):
    assert client.get("/whats-new/999/").status_code == 404
    assert client.get("/whats-new/99999999999999999999/").status_code == 404
    assert client.get("/whats-new/0/").status_code == 404


def test_dates_are_the_day_in_london(seeded, client):
    # 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
    release = _release(_row("E23000014", 2012), published_at=dt.datetime(2030, 6, 30, 23, 30, tzinfo=dt.UTC))
    section = text_of(_sections(client.get("/whats-new/").content.decode())[release.number])
    assert "published on this dashboard on 1 July 2030" in section


def test_with_no_releases_the_page_says_so(empty_db, client):
    response = client.get("/whats-new/")
    assert response.status_code == 200
    assert "Nothing has been published on this dashboard yet." in text_of(response.content.decode())
    _assert_valid_atom(client.get("/whats-new/feed.atom"), entries=0)


# The Atom feed --------------------------------------------------------------------------------


def _assert_valid_atom(response, *, entries: int) -> ET.Element:
    """RFC 4287: the feed and each entry have what the standard requires, in the Atom namespace."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output, not a visitor's
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    links = {link.get("rel", "alternate"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == f"{SITE}/whats-new/feed.atom"
    assert links["alternate"] == f"{SITE}/whats-new/"
    _assert_date(feed.find(f"{ATOM}updated").text)
    found = feed.findall(f"{ATOM}entry")
    assert len(found) == entries
    ids = []
    for entry in found:
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        _assert_date(entry.find(f"{ATOM}updated").text)
        (alternate,) = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert alternate.get("href").startswith(f"{SITE}/whats-new/")
        for text in ("summary", "content"):
            assert entry.find(f"{ATOM}{text}").get("type") == "text"
        ids.append(entry.find(f"{ATOM}id").text)
    assert len(set(ids)) == len(ids)  # unique ids
    return feed


def _assert_date(value: str) -> None:
    """An RFC 3339 date-time with a time zone, as Atom requires."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value), value


def test_the_feed_is_valid_atom_with_one_entry_per_release(seeded, client):
    feed = _assert_valid_atom(client.get("/whats-new/feed.atom"), entries=SEED_RELEASES)
    newest = feed.find(f"{ATOM}entry")
    assert newest.find(f"{ATOM}id").text == f"{SITE}/whats-new/{SEED_RELEASES}/"
    assert newest.find(f"{ATOM}title").text.startswith(f"Release {SEED_RELEASES}: ")
    assert newest.find(f"{ATOM}updated").text == "2026-12-07T00:00:00+00:00"
    assert feed.find(f"{ATOM}updated").text == newest.find(f"{ATOM}updated").text
    assert "889 new population estimates" in newest.find(f"{ATOM}content").text
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-gb"


def test_the_feed_holds_the_latest_50_releases(many_releases, client):
    for year in range(1970, 1995):
        _release(_row("E23000015", year + 30))
    feed = _assert_valid_atom(client.get("/whats-new/feed.atom"), entries=50)
    numbers = [
        int(entry.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[1]) for entry in feed.findall(f"{ATOM}entry")
    ]
    latest = Release.objects.count()
    assert numbers == list(range(latest, latest - 50, -1))


def test_a_withdrawn_release_is_updated_in_the_feed_and_its_text_stays_plain(seeded, client):
    release = _release(_row("E23000014", 2013))
    withdrawal = withdraw(release=release, reason="Figures <b>were</b> for the wrong year & area.")
    feed = _assert_valid_atom(client.get("/whats-new/feed.atom"), entries=SEED_RELEASES + 2)
    entries = {entry.find(f"{ATOM}id").text: entry for entry in feed.findall(f"{ATOM}entry")}
    withdrawn = entries[f"{SITE}/whats-new/{release.number}/"]
    assert withdrawn.find(f"{ATOM}updated").text != withdrawn.find(f"{ATOM}published").text
    assert f"(withdrawn by release {withdrawal.number})" in withdrawn.find(f"{ATOM}title").text
    undoing = entries[f"{SITE}/whats-new/{withdrawal.number}/"].find(f"{ATOM}summary").text
    assert "Reason: Figures <b>were</b> for the wrong year & area." in undoing  # text, not markup
