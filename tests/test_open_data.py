"""Open data: bulk downloads equal the database, dated files never change, and figure pages cite their source."""

import csv
import datetime as dt
import io
import json
import os
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from stats.file_formats import csv_lines, json_document_chunks
from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Figure, Geography, Release, ReleaseFile
from stats.models.figures import RECORD_ORDER
from stats.records import COLUMN_CHANGES, DOWNLOAD_COLUMNS, FIGURE_PATH
from stats.release_files import release_file
from stats.releases import Entry, SourceDetails, publish, withdraw
from tests.pages import SITE

NSPCC_2026 = SourceDetails("NSPCC", "A test release of 2026", "2026-11-13")

# The download's columns as published: a script relies on these names. Change this list only
# together with stats.records.COLUMN_CHANGES, which tells people what changed.
PROMISED_COLUMNS = [
    "figure_id", "area", "area_code", "area_level", "period", "period_start", "period_end", "period_kind",
    "offence", "offence_code", "measure", "measure_code", "platform", "platform_code", "value", "unit",
    "qualifier", "coverage", "status", "source_publisher", "source_title", "source_published",
    "source_published_date", "source_url", "note", "caveats", "dashboard_release", "dashboard_published",
    "figure_url",
]  # fmt: skip


def body(response) -> bytes:
    # Reading a file response to its end closes its file, as a server would.
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def current_rows() -> list[dict[str, str]]:
    records = Figure.objects.current().with_provenance().order_by(*RECORD_ORDER).records()
    return [{key: str(value) for key, value in record.fields().items()} for record in records]


def new_figure(value=150, year=2024, code="E23000014") -> Release:
    period = PeriodSpan(
        f"{year}/{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "financial_year"
    )
    row = FigureRow(
        code, period, "sexual-communication-with-a-child", "offences-recorded", "", Decimal(value), "count", ""
    )
    release, _ = publish(entries=[Entry(row, NSPCC_2026)], kind=Release.Kind.UPLOAD, summary="test")
    return release


def test_the_columns_are_the_ones_promised_and_every_one_is_explained(seeded, client):
    assert list(DOWNLOAD_COLUMNS) == PROMISED_COLUMNS
    announced = " ".join(change for _, change in COLUMN_CHANGES)
    assert all(column in announced for column in ("figure_url", "source_published_date", "caveats"))
    page = client.get("/data/").content.decode()
    for column, meaning in DOWNLOAD_COLUMNS.items():
        assert f"<code>{column}</code>" in page and meaning.replace("'", "&#x27;") in page


def test_the_latest_csv_and_json_equal_the_current_figures_row_for_row(seeded, client):
    expected = current_rows()
    assert len(expected) == Figure.objects.current().count() > 50
    assert csv_rows(body(client.get("/data/figures.csv"))) == expected
    document = json.loads(body(client.get("/data/figures.json")))
    assert document["release"] == Release.objects.first().number
    assert [{key: str(value) for key, value in row.items()} for row in document["figures"]] == expected
    assert all(isinstance(row["value"], int | float) for row in document["figures"])


def test_a_download_says_what_and_when_in_its_name_and_caches(seeded, client):
    latest = Release.objects.first()
    day = latest.published_at.date().isoformat()
    response = client.get("/data/figures.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="online-grooming-figures-{day}-release-{latest.number}.csv"'
    )
    assert response["Cache-Control"] == "public, max-age=300, s-maxage=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response
    dated = client.get(f"/data/releases/{latest.number}/figures.json")
    assert "immutable" in dated["Cache-Control"] and "max-age=31536000" in dated["Cache-Control"] and body(dated)
    again = client.get(f"/data/releases/{latest.number}/figures.json", HTTP_IF_NONE_MATCH=dated["ETag"])
    assert again.status_code == 304 and not again.content
    head = client.head("/data/figures.csv")
    assert head.status_code == 200 and head["Content-Length"] == response["Content-Length"]
    assert body(head) == b"" and body(response)


def test_a_release_file_is_written_when_the_release_commits(seeded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = new_figure()
    assert set(ReleaseFile.objects.filter(release=release).values_list("format", flat=True)) == {"csv", "json"}


def test_dated_files_stay_byte_for_byte_after_a_new_release_a_rename_and_a_withdrawal(seeded, client):
    before = Release.objects.first().number
    dated = f"/data/releases/{before}/figures.csv"
    original = body(client.get(dated))

    release = new_figure(value=987654)
    Geography.objects.filter(code="E23000014").update(name="Renamed by an admin")
    assert body(client.get(dated)) == original
    latest = body(client.get("/data/figures.csv"))
    assert b"987654" in latest and b"987654" not in original
    assert b"Renamed by an admin" in latest  # the new release's file is written now, with today's names

    withdraw(release=release, reason="Published the wrong file.")
    assert body(client.get(dated)) == original
    assert b"987654" in body(client.get(f"/data/releases/{release.number}/figures.csv"))
    assert b"987654" not in body(client.get("/data/figures.csv"))
    after_withdrawal = csv_rows(body(client.get("/data/figures.csv")))
    assert {row["figure_id"] for row in after_withdrawal} == {row["figure_id"] for row in csv_rows(original)}


def test_unknown_releases_and_formats_are_404s(seeded, client):
    for path in (
        "/data/releases/0/figures.csv",
        "/data/releases/99999/figures.csv",
        "/data/releases/99999999999999999999999/figures.csv",
        "/data/releases/1/figures.xlsx",
        "/data/figures.exe",
        "/data/figures.",
    ):
        assert client.get(path).status_code == 404, path


def test_formula_looking_text_is_neutralised_and_negative_numbers_are_not():
    rows = [{"note": '=HYPERLINK("http://x")', "value": "-3", "title": "@SUM(A1)", "other": "+44 20", "tab": "\tx"}]
    (header, line) = list(csv_lines(list(rows[0]), rows))
    assert header.startswith("\ufeff")
    assert next(csv.reader([line])) == ['\'=HYPERLINK("http://x")', "-3", "'@SUM(A1)", "'+44 20", "'\tx"]
    document = json.loads("".join(json_document_chunks({"title": "t"}, "figures", [{"value": Decimal("-3.5")}])))
    assert document == {"title": "t", "figures": [{"value": -3.5}]}


@pytest.fixture
def hundred_thousand_figures(seeded) -> Release:
    """100,000 current figures written straight to the tables in one statement each, on a new release."""
    release = new_figure()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO stats_period (kind, start, "end", label)
            SELECT 'other', DATE '1995-01-01' + i, DATE '1995-01-01' + i, 'Day ' || i FROM generate_series(1, 2000) i;
            INSERT INTO stats_figure (source_id, geography_id, period_id, offence_id, measure_id, value, unit,
                                      qualifier, coverage, note, release_id, status)
            SELECT s.id, g.id, p.id, o.id, m.id, (g.id * p.id) %% 1000, m.unit, '', '', 'A generated figure',
                   %s, 'current'
            FROM (SELECT id FROM stats_geography ORDER BY id LIMIT 50) g
            CROSS JOIN (SELECT id FROM stats_period WHERE label LIKE 'Day %%') p
            CROSS JOIN (SELECT id FROM stats_source ORDER BY id LIMIT 1) s
            CROSS JOIN (SELECT id FROM stats_offence ORDER BY id LIMIT 1) o
            CROSS JOIN (SELECT id, unit FROM stats_measure WHERE unit = 'count' ORDER BY id LIMIT 1) m;
            INSERT INTO stats_figurestatusspan (figure_id, status, from_release_id)
            SELECT id, 'current', %s FROM stats_figure WHERE note = 'A generated figure';
            """,
            [release.number, release.number],
        )
    return release


def test_a_hundred_thousand_figure_download_is_written_and_sent_in_constant_memory(hundred_thousand_figures, client):
    with PeakMemory() as writing:
        stored = release_file(hundred_thousand_figures, "csv")
    with PeakMemory() as sending:
        response = client.get(f"/data/releases/{hundred_thousand_figures.number}/figures.csv")
        sent = sum(len(chunk) for chunk in response.streaming_content)
    assert stored.figures >= 100_000 and sent == stored.size > 30_000_000
    # Holding the records or the file would take well over 100 MB; streaming holds a chunk at a time.
    assert writing.growth < 40_000_000, writing.growth
    assert sending.growth < 10_000_000, sending.growth


class PeakMemory:
    """The process's resident memory, sampled every 5 ms: how far it rose above where it started.
    (Resident memory counts the database driver's buffers too, which tracemalloc would miss.)"""

    def __enter__(self) -> "PeakMemory":
        self.start = self.peak = _resident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _resident())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _resident())

    @property
    def growth(self) -> int:
        return self.peak - self.start


def _resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# Figure pages -----------------------------------------------------------------------------------


def test_the_figure_path_is_the_routed_one(seeded):
    assert reverse("figure", args=[123]) == FIGURE_PATH.format(123)


def test_a_figure_page_shows_the_value_source_and_a_citation(seeded, client):
    figure = Figure.objects.current().get(
        geography__code="E23000014", period__label="2022", measure__slug="offences-recorded"
    )
    html = client.get(f"/figures/{figure.pk}/").content.decode()
    assert "West Midlands Police, 2022: 202" in html
    assert "Cite this figure" in html and "@misc{grooming-figure-" in html
    assert f"{SITE}/figures/{figure.pk}/, accessed" in html
    assert figure.source.publisher.replace("&", "&amp;") in html


def test_a_restated_figure_points_to_the_current_one(seeded, client):
    earlier = Figure.objects.superseded().select_related("source").first()
    current = Figure.objects.current().of_series(earlier).get()
    html = client.get(f"/figures/{earlier.pk}/").content.decode()
    assert "An earlier publication." in html and f'href="/figures/{current.pk}/"' in html
    assert "earlier, since restated" in html


def test_a_withdrawn_figure_keeps_its_page_and_says_so(seeded, client):
    release = new_figure(value=4242)
    figure = Figure.objects.get(release=release)
    withdraw(release=release, reason="Published the wrong file.")
    html = client.get(f"/figures/{figure.pk}/").content.decode()
    assert "This figure was withdrawn." in html
    assert "withdrawn. Reason given: Published the wrong file." in html


def test_a_figure_downloads_as_csv_and_json_with_its_citation(seeded, client):
    figure = Figure.objects.current().first()
    rows = csv_rows(client.get(f"/figures/{figure.pk}/?format=csv").content)
    assert [row["figure_id"] for row in rows] == [str(figure.pk)]
    document = json.loads(client.get(f"/figures/{figure.pk}/?format=json").content)
    assert document["citations"][0].startswith(figure.source.publisher)


@pytest.mark.parametrize(
    "path", ["/figures/0/", "/figures/999999/", "/figures/99999999999999999999999/", "/figures/x/"]
)
def test_unknown_figures_are_404s(seeded, client, path):
    assert client.get(path).status_code == 404


def test_a_figure_page_costs_the_same_queries_whatever_its_history(seeded, client, django_assert_max_num_queries):
    plain = Figure.objects.current().first()
    revised = Figure.objects.superseded().first()
    for figure in (plain, revised):
        with django_assert_max_num_queries(3):
            assert client.get(f"/figures/{figure.pk}/").status_code == 200
