"""Bad parameters are a 400 naming the parameter and what it accepts; unknown paths a JSON 404."""

import pytest

from tests.api.conftest import get_json
from tests.conftest import SEED_RELEASES
from tests.pages import SITE

FIGURES = "/api/v1/figures"
LONG = "A" * 20000

# (query, the parameter named, what "allowed" holds or starts with)
BAD = [
    ("geography=E2300014", "geography", ["E12000001"]),
    ("geography=%00", "geography", ["E12000001"]),
    (f"geography={LONG}", "geography", ["E12000001"]),
    ("include_children=maybe", "include_children", ["true", "false"]),
    ("include_children=%00", "include_children", ["true", "false"]),
    (
        "offence=grooming",
        "offence",
        [
            "communicating-indecently-with-a-child",
            "online-grooming",
            "sexual-communication-with-a-child",
            "sexual-grooming",
        ],
    ),
    (f"offence={LONG}", "offence", ["communicating-indecently-with-a-child"]),
    ("offence=sexual%00grooming", "offence", ["communicating-indecently-with-a-child"]),
    ("measure=offences", "measure", ["charge-or-summons"]),
    ("platform=tiktok", "platform", ["facebook"]),
    ("period_from=2024-13-01", "period_from", "a date written YYYY-MM-DD"),
    ("period_from=yesterday", "period_from", "a date written YYYY-MM-DD"),
    ("period_from=0", "period_from", "a date written YYYY-MM-DD"),  # not a Unix time
    ("period_to=2024-1-1", "period_to", "a date written YYYY-MM-DD"),
    ("period_to=%00", "period_to", "a date written YYYY-MM-DD"),
    ("source=nine", "source", "a whole number, 1 or more"),
    ("source=0", "source", "a whole number, 1 or more"),
    ("source=99999999999999999999999999", "source", [1]),
    ("revisions=latest", "revisions", ["current", "all"]),
    ("as_of_release=999999", "as_of_release", f"a whole number from 1 to {SEED_RELEASES}"),
    ("as_of_release=0", "as_of_release", "a whole number, 1 or more"),
    ("as_of_release=two", "as_of_release", "a whole number, 1 or more"),
    ("as_of_release=99999999999999999999999999", "as_of_release", f"a whole number from 1 to {SEED_RELEASES}"),
    ("page=0", "page", "a whole number, 1 or more"),
    ("page=-1", "page", "a whole number, 1 or more"),
    ("page=first", "page", "a whole number, 1 or more"),
    ("page_size=100000", "page_size", "a whole number from 1 to 1000"),
    ("page_size=0", "page_size", "a whole number from 1 to 1000"),
    ("page_size=1.5", "page_size", "a whole number from 1 to 1000"),
    ("offense=online-grooming", "offense", ["as_of_release", "geography"]),
    ("geography=E23000014&geography=E23000015", "geography", "one value"),
    ("%ff%fe=%ff", "\ufffd\ufffd", ["as_of_release"]),
]


@pytest.mark.parametrize(("query", "parameter", "allowed"), BAD)
def test_a_bad_parameter_is_a_400_naming_it_and_what_it_accepts(seeded, client, query, parameter, allowed):
    error = get_json(client, f"{FIGURES}?{query}", status=400)
    assert error["parameter"] == parameter
    if isinstance(allowed, list):
        assert error["allowed"][: len(allowed)] == allowed
    else:
        assert error["allowed"] == allowed
    assert error["error"] and "A" * 41 not in error["error"]  # a long value is quoted back only in part
    assert error["docs"] == f"{SITE}/api/"


@pytest.mark.parametrize(
    "path", ["/api/v1/figures/0", "/api/v1/figures/abc", "/api/v1/figures/99999999999999999999", "/api/v1/releases/x"]
)
def test_a_bad_number_in_the_path_is_a_400(seeded, client, path):
    error = get_json(client, path, status=400)
    assert error["parameter"] in ("figure_id", "number")
    assert error["allowed"].startswith("a whole number from 1 to ")


@pytest.mark.parametrize("name", ["releases", "geographies", "offences", "measures", "platforms", "sources"])
def test_a_list_that_takes_no_parameters_refuses_one(seeded, client, name):
    error = get_json(client, f"/api/v1/{name}?page=2", status=400)
    assert (error["parameter"], error["allowed"]) == ("page", [])
    assert "takes no parameters" in error["error"]


def test_the_figure_endpoint_takes_no_query_parameters(seeded, client):
    assert get_json(client, "/api/v1/figures/1?format=csv", status=400)["parameter"] == "format"


@pytest.mark.parametrize(
    "path", ["/api/v1/figure", "/api/v1/figures/", "/api/v2/figures", "/api/nothing", "/api/v1/%00"]
)
def test_an_address_we_do_not_have_is_a_json_404(seeded, client, path):
    error = get_json(client, path, status=404)
    assert error["error"].startswith("There is nothing at ")
    assert (error["parameter"], error["allowed"]) == (None, None)


def test_a_method_other_than_reading_is_refused(seeded, client):
    response = client.post(FIGURES, data={})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["error"] == "The API is read-only: it answers GET, HEAD, OPTIONS only."
