"""Every address under /api/ answers every method, path and query string it can be sent:
the JSON API in JSON (GET, HEAD, OPTIONS and a 405 that agrees with OPTIONS), its
documentation page like any other public page (GET and HEAD only). Never a 500."""

import pytest
from django.urls import resolve

from api.v1 import v1
from tests.api.routes import EVERY_ROUTE
from tests.pages import SITE

ALLOW = "GET, HEAD, OPTIONS"
# One address for each of the API's URL patterns (api/urls.py), and addresses we do not have.
ROUTES = [*EVERY_ROUTE, "/api/nothing"]
CONTROL_CHARACTERS = ["/api/v1/%00", "/api/v1/%0A", "/api/%0D%0A", "/api/v1/fig%1Bures", "/api/v1/figures%7F"]
JSON_PATHS = ROUTES + CONTROL_CHARACTERS
REFUSED = ["POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT", "PROPFIND"]
PREFLIGHT = {"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"}
LONG_QUERIES = ["a=b&" * 5000, "geography=" + "A" * 200_000, "%00=%00&" * 2000]


def _is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


def _is_json_or_asked_csv(path: str, response) -> bool:
    """Every answer is JSON but a 200 from figures.csv, the one address that answers a table."""
    if path.startswith("/api/v1/figures.csv") and response.status_code == 200:
        return response["Content-Type"] == "text/csv; charset=utf-8"
    return _is_json(response)


def test_every_url_pattern_of_the_api_is_among_the_routes_tested_here():
    names = {resolve(path.partition("?")[0]).url_name for path in ROUTES}
    assert names == {pattern.name for pattern in v1.urls[0]} | {None}  # None: the JSON 404 for the rest


@pytest.mark.parametrize("method", REFUSED)
@pytest.mark.parametrize("path", JSON_PATHS)
def test_a_method_the_api_does_not_answer_is_a_json_405_that_agrees_with_options(seeded, client, path, method):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert _is_json(response)
    assert response["Allow"] == ALLOW == client.options(path)["Allow"]
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["error"] == f"The API is read-only: it answers {ALLOW} only."
    assert body["docs"] == f"{SITE}/api/"


@pytest.mark.parametrize("path", JSON_PATHS)
def test_get_and_head_answer_in_json_and_a_preflight_is_answered(seeded, client, path):
    get = client.get(path)
    assert get.status_code in (200, 400, 404) and _is_json_or_asked_csv(path, get)
    head = client.head(path)
    assert (head.status_code, head["Content-Type"], head.content) == (get.status_code, get["Content-Type"], b"")
    preflight = client.options(path, headers=PREFLIGHT)
    assert preflight.status_code == 204 and preflight.content == b""
    assert "Content-Type" not in preflight  # no body, so no type
    assert preflight["Allow"] == preflight["Access-Control-Allow-Methods"] == ALLOW
    assert preflight["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", CONTROL_CHARACTERS)
def test_a_path_with_a_control_character_is_a_json_404(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 404 and _is_json(response)
    assert response.json()["error"].startswith("There is nothing at ")


@pytest.mark.parametrize("query", LONG_QUERIES, ids=["many-parameters", "one-long-value", "many-nuls"])
@pytest.mark.parametrize("path", ROUTES)
def test_a_very_long_query_string_is_answered_in_json(seeded, client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400, 404) and _is_json(response)
    if path == "/api/v1/figures":  # it reads its parameters: too many is a 400 saying so, as JSON
        assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("method", ["OPTIONS", *REFUSED])
def test_the_documentation_page_answers_get_and_head_only_like_any_public_page(seeded, client, method):
    response = client.generic(method, "/api/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"].startswith("text/plain")


def test_the_documentation_page_answers_get_and_head(seeded, client):
    get = client.get("/api/")
    head = client.head("/api/")
    assert get.status_code == head.status_code == 200
    assert get["Content-Type"].startswith("text/html") and head.content == b""
