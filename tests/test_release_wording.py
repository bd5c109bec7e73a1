""" "Release" means one thing on the public pages: one of this dashboard's numbered releases.

What a police force, the Home Office, the NSPCC or a newspaper put out is its publication.
And each release says what it is once: seed releases have titles of their own, and no line
repeats the counts of the one before it."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from dashboard.release_notes import _says
from stats.importers.rows import CellError
from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Release
from stats.releases import Entry, SourceDetails, describe, publish
from stats.seeding import SEED_DIR, _parse_release, parse_seed
from tests.conftest import SEED_RELEASES
from tests.pages import text_of


def _sections(html: str) -> dict[int, str]:
    found = re.findall(r'<section class="release" id="release-(\d+)"(.*?)</section>', html, re.S)
    return {int(number): text_of(body) for number, body in found}


def test_every_seed_release_has_a_title_of_its_own(seeded, client):
    sections = _sections(client.get("/whats-new/").content.decode())
    title = r"Release \d+: (.*?) Data shipped with the dashboard, published"
    titles = [re.search(title, section).group(1) for section in sections.values()]
    assert len(titles) == SEED_RELEASES
    assert len(set(titles)) == len(titles)
    assert "Data shipped with the dashboard" not in titles


def test_no_release_says_its_summary_or_its_counts_twice(seeded, client):
    for number, section in _sections(client.get("/whats-new/").content.decode()).items():
        summary = Release.objects.get(number=number).summary
        assert section.count(summary) == 1, number
        facts = section.split(" Figure What changed")[0]  # what the release says before its table
        for count in re.findall(r"[\d,]+ new (?:figures?|population estimates?)", facts):
            assert facts.count(count) == 1, (number, count)


def test_a_release_page_gives_its_title_once(seeded, client):
    text = text_of(client.get("/whats-new/3/").content.decode())
    summary = Release.objects.get(number=3).summary
    assert f"Release 3: {summary}" in text
    assert text.count(summary) == 1


def test_a_count_is_said_only_when_it_stands_as_written():
    assert _says("11 new figures for Kent", "11 new figures")
    assert not _says("11 new figures for Kent", "1 new figure")
    assert not _says("1,211 new figures", "211 new figures")


def test_every_seed_release_has_a_distinct_summary_that_fits():
    releases = parse_seed(SEED_DIR, lookups=False).releases
    summaries = [release.summary for release in releases.values()]
    assert all(summaries) and len(set(summaries)) == len(summaries)


def test_a_seed_summary_too_long_for_the_page_is_an_error_not_cut():
    with pytest.raises(CellError, match="at most 300 characters"):
        _parse_release({"number": "9", "published": "2026-12-07", "summary": "x" * 301})


def test_a_source_publication_is_never_called_a_release(seeded, client):
    platforms = text_of(client.get("/platforms/").content.decode())
    assert re.search(r"[\d,]+ platform shares from [\d,]+ source publications", platforms)
    assert "when the publication gave it" in platforms
    assert "releases, each with" not in platforms
    figures = text_of(client.get("/areas/K04000001/figures/").content.decode())
    assert "including figures from earlier publications that a later one restated" in figures
    assert "earlier release" not in figures.lower()
    home = text_of(client.get("/").content.decode())
    assert "Rings: figures from earlier publications, since restated." in home
    about = text_of(client.get("/about/").content.decode())
    assert "\u201crelease\u201d always means one of these numbered releases" in about
    assert "with each release" not in about


def test_no_seed_publisher_or_note_calls_a_source_publication_a_release(seeded, client):
    sources = text_of(client.get("/sources/").content.decode())
    assert "(NSPCC release)" not in sources
    assert "NSPCC data" in sources


def test_an_upload_whose_summary_gives_its_counts_does_not_repeat_them(seeded, client):
    row = FigureRow(
        "E23000014",
        PeriodSpan("2010/11", dt.date(2010, 4, 1), dt.date(2011, 3, 31), "financial_year"),
        "sexual-communication-with-a-child",
        "offences-recorded",
        "",
        Decimal(4321),
        "count",
        "",
    )
    release, _ = publish(
        entries=[Entry(row, SourceDetails("NSPCC", "A test publication", "2026-11-13"))],
        kind=Release.Kind.UPLOAD,
        summary=describe,
    )
    assert release.summary == "1 new figure for West Midlands Police"
    section = _sections(client.get("/whats-new/").content.decode())[release.number]
    assert f"Release {release.number}: New data" in section
    assert section.split(" Figure What changed")[0].count("1 new figure") == 1


def test_the_footer_calls_what_a_source_put_out_a_publication(seeded, client):
    footer = text_of(client.get("/about/").content.decode().split("<footer", 1)[1])
    assert "NSPCC publication" in footer and " release" not in footer
