"""/api/v1/ lists every address of the API, and /api/v1/figures.csv gives the figures /figures
lists for the same filters, every one in one file, with the columns of /data/figures.csv."""

import csv
import io

import pytest

from stats.records import DOWNLOAD_COLUMNS
from tests.api.conftest import get_json
from tests.pages import SITE

CSV_URL = "/api/v1/figures.csv"
WEST_MIDLANDS_POLICE = "E23000014"


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    assert reader.fieldnames == list(DOWNLOAD_COLUMNS)
    return rows


def _json_rows(client, query: str) -> list[dict]:
    return get_json(client, f"/api/v1/figures?page_size=1000&{query}")["results"]


# The index ---------------------------------------------------------------------------------------


def test_the_index_lists_every_operation_with_absolute_links_from_site_url(seeded, client, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    index = get_json(client, "/api/v1/", HOST="localhost:6666")
    operations = {endpoint["operation_id"]: endpoint for endpoint in index["endpoints"]}
    assert {"list_figures", "list_figures_csv", "get_figure", "list_releases", "find_places"} <= set(operations)
    assert operations["get_figure"]["path"] == "/api/v1/figures/{figure_id}"
    assert operations["list_figures_csv"]["url"] == f"{SITE}/api/v1/figures.csv"
    for link in (index["docs"], index["openapi"], index["bulk_downloads"], *(e["url"] for e in index["endpoints"])):
        assert link.startswith(f"{SITE}/") and "6666" not in link
    assert (index["docs"], index["bulk_downloads"]) == (f"{SITE}/api/", f"{SITE}/data/")


def test_every_address_the_index_lists_without_a_parameter_answers(seeded, client):
    index = get_json(client, "/api/v1/")
    plain = [e for e in index["endpoints"] if "{" not in e["path"] and e["operation_id"] != "find_places"]
    assert len(plain) >= 8
    for endpoint in plain:
        assert client.get(endpoint["url"].removeprefix(SITE)).status_code == 200, endpoint


def test_the_index_takes_no_parameters(seeded, client):
    error = get_json(client, "/api/v1/?page=2", status=400)
    assert error["parameter"] == "page"


# Figures as CSV ----------------------------------------------------------------------------------


def test_the_csv_holds_exactly_the_figures_the_json_lists_for_the_same_filters(seeded, client):
    query = f"geography={WEST_MIDLANDS_POLICE}"
    rows = _rows(client.get(f"{CSV_URL}?{query}"))
    listed = _json_rows(client, query)
    assert len(rows) == len(listed) > 5
    for row, figure in zip(rows, listed, strict=True):
        assert row == {column: str(figure[column]) for column in DOWNLOAD_COLUMNS}
    assert {row["area_code"] for row in rows} == {WEST_MIDLANDS_POLICE}


@pytest.mark.parametrize(
    "query",
    [
        "geography=E12000005&include_children=true&measure=offences-recorded",
        "revisions=all&period_from=2017-01-01&period_to=2018-12-31",
        "as_of_release=1",
        "",
    ],
)
def test_every_filter_of_the_json_list_works_on_the_csv(seeded, client, query):
    rows = _rows(client.get(f"{CSV_URL}?{query}"))
    assert [row["figure_id"] for row in rows] == [str(f["figure_id"]) for f in _json_rows(client, query)]


def test_the_csv_is_every_match_in_one_file_not_a_page(seeded, client):
    everything = _rows(client.get(CSV_URL))
    assert len(everything) > 100  # more than /figures' first page of 100
    assert len(everything) == get_json(client, "/api/v1/figures")["count"]


def test_the_csv_matches_the_open_data_file_for_the_current_figures(seeded, client):
    from_api = _rows(client.get(CSV_URL))
    open_data = client.get("/data/figures.csv")
    data = b"".join(open_data.streaming_content).decode("utf-8-sig")
    assert from_api == list(csv.DictReader(io.StringIO(data, newline="")))


def test_the_csv_names_its_file_for_the_release(seeded, client):
    response = client.get(f"{CSV_URL}?as_of_release=1")
    assert response["Content-Disposition"] == 'attachment; filename="online-grooming-figures-release-1.csv"'
    assert response["Access-Control-Allow-Origin"] == "*" and response["ETag"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("geography=Z99", "geography"),
        ("page=2", "page"),
        ("page_size=10", "page_size"),
        ("geograpy=E23000014", "geograpy"),
        ("offence=a&offence=b", "offence"),
        ("period_from=0", "period_from"),
        ("as_of_release=99999", "as_of_release"),
        ("source=abc", "source"),
        ("include_children=perhaps", "include_children"),
    ],
)
def test_a_bad_filter_is_a_json_400_naming_it(seeded, client, query, parameter):
    error = get_json(client, f"{CSV_URL}?{query}", status=400)
    assert error["parameter"] == parameter and error["error"]


# The documentation -------------------------------------------------------------------------------


def test_the_docs_give_one_line_for_pandas_and_for_r(seeded, client):
    page = client.get("/api/").content.decode()
    url = f"{SITE}/api/v1/figures.csv?geography={WEST_MIDLANDS_POLICE}"
    assert f'pandas.read_csv("{url}")' in page
    assert f'read.csv("{url}", fileEncoding = "UTF-8-BOM")' in page
    assert f'<a href="{SITE}/api/v1/">the index</a>' in page
