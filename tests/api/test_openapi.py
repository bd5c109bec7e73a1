"""The OpenAPI document is valid, describes what the API does, and the documentation page shows it."""

import re

import pytest
import schemathesis

from stats.models import Geography, Offence, Source
from tests.api.conftest import get_json
from tests.conftest import SEED_RELEASES
from tests.pages import SITE, text_of

OPERATIONS = {
    "/api/v1/": "api_index",
    "/api/v1/figures": "list_figures",
    "/api/v1/figures.csv": "list_figures_csv",
    "/api/v1/figures/{figure_id}": "get_figure",
    "/api/v1/releases": "list_releases",
    "/api/v1/releases/{number}": "get_release",
    "/api/v1/geographies": "list_geographies",
    "/api/v1/offences": "list_offences",
    "/api/v1/measures": "list_measures",
    "/api/v1/platforms": "list_platforms",
    "/api/v1/sources": "list_sources",
    "/api/v1/places": "find_places",
}


@pytest.fixture
def document(seeded, client) -> dict:
    return get_json(client, "/api/v1/openapi.json")


def test_the_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()  # raises if the document breaks the OpenAPI schema


def test_the_document_lists_every_operation_and_nothing_else(document):
    assert {path: details["get"]["operationId"] for path, details in document["paths"].items()} == OPERATIONS
    assert all(set(details) == {"get"} for details in document["paths"].values())


def test_every_operation_documents_every_status_it_can_give(document):
    for path, details in document["paths"].items():
        responses = details["get"]["responses"]
        expected = {"200", "304", "400", "412", "429"} | ({"404"} if "{" in path or path.endswith("figures") else set())
        assert set(responses) == expected, path
        for status in ("400", "429", *(["404"] if "404" in expected else [])):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)
        assert responses["200"]["headers"]["ETag"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["required"] is True
        assert "content" not in responses["304"]


def test_the_allowed_values_are_the_ones_in_the_database(document):
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/figures"]["get"]["parameters"]}
    assert parameters["geography"]["enum"] == sorted(Geography.objects.values_list("code", flat=True))
    assert parameters["offence"]["enum"] == sorted(Offence.objects.values_list("slug", flat=True))
    assert parameters["source"]["enum"] == sorted(Source.objects.values_list("pk", flat=True))
    assert (parameters["as_of_release"]["minimum"], parameters["as_of_release"]["maximum"]) == (1, SEED_RELEASES)
    assert parameters["revisions"]["enum"] == ["current", "all"]
    assert (parameters["page_size"]["maximum"], parameters["page_size"]["default"]) == (1000, 100)


def test_every_documented_path_answers_with_its_example(seeded, client, document):
    for path, details in document["paths"].items():
        url = path
        for parameter in details["get"]["parameters"]:
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(parameter["example"]))
            elif parameter.get("required"):  # a required query parameter: the search's q
                url += f"?{parameter['name']}={parameter['example']}"
        assert client.get(url).status_code == 200, url


def test_swaggers_page_is_off_and_the_document_points_to_ours(seeded, client, document):
    assert client.get("/api/v1/docs").status_code == 404
    assert document["externalDocs"]["url"].endswith("/api/")


def test_the_documentation_page_describes_every_operation_from_the_document(seeded, client, document):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    for path in OPERATIONS:
        assert f"GET {path}" in text
    for parameter in document["paths"]["/api/v1/figures"]["get"]["parameters"]:
        assert f"<code>{parameter['name']}</code>" in html
    assert "a whole number from 1 to 1000" in text  # page_size, in words
    assert "<code>sexual-communication-with-a-child</code>" in html  # an allowed offence, from the database
    assert "results[].source_publisher" in text and "results[].permalink" in text  # the response's shape
    assert f"curl '{SITE}/api/v1/figures?geography=E12000005&include_children=true" in text
    assert f"curl '{SITE}/api/v1/figures/1'" in text
    assert f'href="{SITE}/api/v1/openapi.json"' in html
    assert "v1 launched 5 December 2026" in text
    assert re.search(r"at most \d+ requests every \d+ seconds", text)
    assert "429 Too Many Requests" in text and "Retry-After" in text
    assert "the data changes only with a release" in text.lower()
    assert "<script>" not in html.split("<main", 1)[1]  # nothing to run: the page needs no JavaScript


def test_the_fair_use_limit_shown_is_the_one_applied(seeded, client, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 120, 30
    assert "at most 120 requests every 30 seconds" in text_of(client.get("/api/").content.decode())
