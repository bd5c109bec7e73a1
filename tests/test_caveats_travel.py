"""A figure's caveats travel with the number: the page, every download and the API say the same
sentences, from one home (stats/caveats.py); and a source's date is an ISO date in every file."""

import csv
import io
import json

import pytest

from stats.caveats import part_year_sentence
from stats.models import Figure
from stats.models.figures import RECORD_ORDER
from stats.records import COLUMN_CHANGES, DOWNLOAD_COLUMNS, FigureRecord
from tests.pages import text_of

WEST_MIDLANDS_POLICE = "E23000014"
GROOMING = "online-grooming"  # West Midlands Police's FOI counts, from calendar 2017


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _current(**wanted) -> list[FigureRecord]:
    records = Figure.objects.current().with_provenance().order_by(*RECORD_ORDER).records()
    return [r for r in records if all(getattr(r, name) == value for name, value in wanted.items())]


@pytest.fixture
def part_year(seeded) -> FigureRecord:
    """West Midlands Police's count for calendar 2017, when the offence began on 3 April."""
    (figure,) = [f for f in _current(area_code=WEST_MIDLANDS_POLICE, offence_slug=GROOMING) if f.period.label == "2017"]
    return figure


NINE_MONTHS = "2017 covers only about nine months: the offence came into force on 3 April 2017"


def test_the_part_year_sentence_is_the_one_the_home_page_says(part_year, client):
    said = part_year_sentence(part_year.period.label, part_year.months_covered, part_year.offence_in_force)
    assert said.startswith(NINE_MONTHS)
    assert part_year.caveats == [said]
    assert said in text_of(client.get("/").content.decode())


def test_the_open_data_files_carry_the_caveats_and_an_iso_date(part_year, client):
    assert list(DOWNLOAD_COLUMNS)[-6:-3] == ["source_url", "note", "caveats"]
    (row,) = [r for r in _csv(client.get("/data/figures.csv")) if r["figure_id"] == str(part_year.id)]
    assert row["caveats"] == part_year.caveats[0]
    assert row["note"] == part_year.note  # the source's own words stay apart from ours
    assert row["source_published_date"] == part_year.source.published.isoformat()[: len(row["source_published_date"])]
    document = json.loads(b"".join(client.get("/data/figures.json").streaming_content))
    assert "caveats" in document["columns"] and "source_published_date" in document["columns"]
    (entry,) = [f for f in document["figures"] if f["figure_id"] == part_year.id]
    assert (entry["caveats"], entry["source_published_date"]) == (row["caveats"], row["source_published_date"])


def test_the_figure_page_downloads_carry_the_caveats(part_year, client):
    (row,) = _csv(client.get(f"/figures/{part_year.id}/?format=csv"))
    assert row["caveats"].startswith(NINE_MONTHS)
    document = json.loads(client.get(f"/figures/{part_year.id}/?format=json").content)
    assert document["rows"][0]["caveats"].startswith(NINE_MONTHS)


def test_a_card_download_carries_the_caveats(part_year, client):
    rows = _csv(client.get(f"/areas/{WEST_MIDLANDS_POLICE}/?card=trend-{GROOMING}&format=csv"))
    by_id = {row["figure_id"]: row for row in rows}
    assert by_id[str(part_year.id)]["caveats"].startswith(NINE_MONTHS)
    # A full year has no part-year caveat.
    assert all(NINE_MONTHS not in row["caveats"] for row in rows if row["period"] != "2017")


def test_the_api_figure_carries_the_same_caveats_and_date_as_the_csv(part_year, client):
    figure = client.get(f"/api/v1/figures/{part_year.id}").json()
    (row,) = _csv(client.get(f"/figures/{part_year.id}/?format=csv"))
    assert figure["caveats"] == row["caveats"]
    assert figure["source_published_date"] == row["source_published_date"]
    assert figure["source_published"] == row["source_published"]


def test_coverage_and_a_qualified_value_are_caveats(seeded, client):
    covered = next(f for f in _current() if f.coverage and not f.qualifier and not f.months_covered)
    assert covered.caveats == [f"The count covers {covered.coverage}, as the source stated."]
    qualified = next(f for f in _current() if f.qualifier)
    assert f"The source gave it as {qualified.display_value}, not an exact figure." in qualified.caveats
    rows = {row["figure_id"]: row for row in _csv(client.get("/data/figures.csv"))}
    assert rows[str(covered.id)]["caveats"] == covered.caveats[0]
    assert qualified.display_value in rows[str(qualified.id)]["caveats"]
    assert sum(1 for row in rows.values() if not row["caveats"]) > len(rows) / 2  # most figures have none


def test_an_earlier_publication_says_it_was_restated(seeded, client):
    revisions = [r for r in Figure.objects.published().with_provenance().records() if r.is_superseded]
    assert revisions
    figure = client.get(f"/api/v1/figures/{revisions[0].id}").json()
    assert figure["status"] == "revision"
    assert figure["caveats"].startswith("A later publication restated this figure")


def test_a_month_only_publication_date_stays_a_month(seeded, client):
    rows = _csv(client.get("/data/figures.csv"))
    by_precision = {(row["source_published"], row["source_published_date"]) for row in rows}
    assert ("September 2019", "2019-09") in by_precision
    assert ("11 September 2019", "2019-09-11") in by_precision
    assert all(len(date) in (4, 7, 10) for _, date in by_precision)


def test_the_column_change_is_announced(seeded, client):
    day, change = COLUMN_CHANGES[0]
    assert "source_published_date" in change and "caveats" in change
    page = client.get("/data/").content.decode()
    assert "<code>caveats</code>" in page and "<code>source_published_date</code>" in page
    assert day in page


def test_the_figure_page_says_the_same_caveats_as_its_download(part_year, client):
    page = text_of(client.get(f"/figures/{part_year.id}/").content.decode())
    (row,) = _csv(client.get(f"/figures/{part_year.id}/?format=csv"))
    assert f"Before you quote it {row['caveats']}" in page


def test_a_total_of_several_years_is_said_to_be_shorter_not_a_low_base(seeded):
    # West Midlands Police's 2017 to 2022 total starts on 1 January, before the offence began.
    totals = [f for f in _current(area_code=WEST_MIDLANDS_POLICE, offence_slug=GROOMING) if f.period.label != "2017"]
    several = [f for f in totals if f.months_covered]
    assert several, "the seed has a total of several years that starts before the offence"
    for figure in several:
        (said,) = [c for c in figure.caveats if "months" in c]
        whole = round(((figure.period.end - figure.period.start).days + 1) / 30.44)
        assert f"covers about {figure.months_covered} months, not {whole}:" in said
        assert "low base" not in said
