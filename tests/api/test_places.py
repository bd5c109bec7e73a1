"""/api/v1/places: the postcode and place search as JSON, the same answer a person gets."""

import pytest

from tests.api.conftest import get_json


def test_a_postcode_gives_its_force_exactly(seeded, client):
    answer = get_json(client, "/api/v1/places?q=b152tt")
    assert (answer["kind"], answer["postcode"], answer["count"]) == ("postcode", "B15 2TT", 1)
    (match,) = answer["results"]
    assert (match["area_code"], match["council"], match["share_percent"]) == ("E23000014", "Birmingham", 100.0)
    assert answer["said"] == "B15 2TT is in Birmingham, policed by West Midlands Police."


def test_a_district_across_a_boundary_lists_each_force_with_its_share(seeded, client):
    answer = get_json(client, "/api/v1/places?q=SY10")
    assert answer["kind"] == "district"
    shares = [(m["area_code"], m["share_percent"]) for m in answer["results"]]
    assert shares[0] == ("E23000016", 72.7)
    assert [code for code, _ in shares] == ["E23000016", "W15000004", "W15000001"]
    assert sum(share for _, share in shares) == pytest.approx(100, abs=0.2)


def test_a_name_in_several_forces_lists_them_with_their_councils(seeded, client):
    answer = get_json(client, "/api/v1/places?q=Newport")
    assert answer["kind"] == "name" and answer["count"] >= 6
    assert answer["results"][0]["matched"] == "Newport (council)"
    assert {"area_code": "E23000030", "council": "Isle of Wight"}.items() <= next(
        m for m in answer["results"] if m["area_code"] == "E23000030"
    ).items()


@pytest.mark.parametrize(
    ("query", "kind", "outside"),
    [("JE2 3AB", "postcode", "Jersey"), ("ZZ99 9ZZ", "postcode", ""), ("xyzzyplugh", "name", ""), ("", "empty", "")],
)
def test_a_miss_or_a_place_outside_says_so(seeded, client, query, kind, outside):
    answer = get_json(client, f"/api/v1/places?q={query}")
    assert (answer["kind"], answer["outside"], answer["count"]) == (kind, outside, 0)
    assert answer["said"]


@pytest.mark.parametrize("query", ["%00", "%F0%9F%98%80", "' OR 1=1 --", "B15" * 4000, "%ff%fe"])
def test_any_text_is_answered(seeded, client, query):
    assert get_json(client, f"/api/v1/places?q={query}")["query"] is not None


def test_q_is_required_and_other_parameters_are_refused(seeded, client):
    assert get_json(client, "/api/v1/places", status=400)["parameter"] == "q"
    assert get_json(client, "/api/v1/places?q=B15&x=1", status=400)["parameter"] == "x"
    assert get_json(client, "/api/v1/places?q=B15&q=B16", status=400)["parameter"] == "q"
