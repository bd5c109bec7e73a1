"""Find your area by postcode, town or village, anywhere in the UK (stats.postcodes, stats.place_search)."""

import re
from decimal import Decimal

import pytest

from stats.models import PlaceName, Postcode, PostcodeShare
from stats.place_search import find_areas
from stats.postcodes import read_postcode, share_in_words
from tests.pages import text_of

WEST_MIDLANDS_POLICE, WEST_MERCIA_POLICE = "E23000014", "E23000016"


@pytest.mark.parametrize(
    ("typed", "text", "kind"),
    [
        ("b152tt", "B15 2TT", "postcode"),
        ("B15 2TT", "B15 2TT", "postcode"),
        ("  B15   2tt ", "B15 2TT", "postcode"),
        ("ec1a1bb", "EC1A 1BB", "postcode"),
        ("B15 2", "B15 2", "sector"),
        ("b15", "B15", "district"),
        ("SW1A", "SW1A", "district"),
    ],
)
def test_a_postcode_is_read_however_it_is_written(typed, text, kind):
    query = read_postcode(typed)
    assert (query.text, query.kind) == (text, kind)


@pytest.mark.parametrize("typed", ["Birmingham", "B", "15", "B15 2T1", "B15 2T", "B15 22TT", "1B5 2TT", "B15 2TTT"])
def test_what_is_not_a_postcode_is_left_to_the_place_search(typed):
    assert read_postcode(typed) is None


def test_shares_are_said_in_words():
    assert [share_in_words(Decimal(s), "SY10") for s in ("100", "72.7", "18.5", "0.4")] == [
        "all of SY10",
        "most of SY10",
        "part of SY10",
        "a small part of SY10",
    ]


@pytest.mark.parametrize("typed", ["B15 2TT", "b152tt", "B15  2tt", "B15", "B15 2"])
def test_a_postcode_in_one_force_goes_straight_to_it_and_the_page_says_how(seeded, client, typed):
    response = client.get("/areas/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/areas/{WEST_MIDLANDS_POLICE}/?q=")
    text = text_of(client.get(response["Location"]).content.decode())
    shown = read_postcode(typed).text
    assert f"{shown} is in Birmingham, policed by West Midlands Police." in text


def test_a_district_across_a_boundary_lists_its_forces_biggest_share_first(seeded, client):
    shares = list(PostcodeShare.objects.filter(unit="SY10").order_by("-postcodes"))
    assert [s.police_force_area.code for s in shares] == [WEST_MERCIA_POLICE, "W15000004", "W15000001"]
    assert shares[0].share == Decimal("72.7")
    html = client.get("/areas/", {"q": "sy10"}).content.decode()
    text = text_of(html)
    assert "SY10 is covered by 3 police forces" in text
    assert text.index("Most of SY10, West Mercia Police") < text.index("Dyfed-Powys Police")
    assert "North Wales Police" in text


def test_a_postcode_in_a_split_sector_is_answered_exactly(seeded):
    postcode = (
        Postcode.objects.exclude(police_force_area__code=WEST_MERCIA_POLICE).filter(code__startswith="SY10 ").first()
    )
    outward, inward = postcode.code.split()
    sector = f"{outward} {inward[0]}"
    assert PostcodeShare.objects.filter(unit=sector).count() > 1  # the sector alone would be ambiguous
    match = find_areas(postcode.code.replace(" ", "").lower()).only_match
    assert match.area.code == postcode.police_force_area.code


def test_every_bt_postcode_is_northern_ireland(seeded, client):
    response = client.get("/areas/", {"q": "BT1 1AA"})
    assert response["Location"].startswith("/areas/N92000002/")
    text = text_of(client.get(response["Location"]).content.decode())
    assert "BT1 1AA is policed by the Police Service of Northern Ireland." in text


def test_a_channel_islands_postcode_gets_a_kind_answer_with_the_help_routes(seeded, client):
    html = client.get("/areas/", {"q": "JE2 3AB"}).content.decode()
    text = text_of(html)
    assert "JE2 3AB is in Jersey, which has its own police and is outside the UK police force areas" in text
    assert 'href="tel:999"' in html and 'href="/report/"' in html
    assert "could not find" not in text


def test_a_well_formed_postcode_we_do_not_know_says_exactly_that(seeded, client):
    text = text_of(client.get("/areas/", {"q": "ZZ99 9ZZ"}).content.decode())
    assert "We do not know the postcode \u2018ZZ99 9ZZ\u2019. Check the postcode, or type your town or council." in text
    assert "try the name of your town" not in text.lower()


@pytest.mark.parametrize(
    ("typed", "code", "said"),
    [
        (
            "Sutton Coldfield",
            WEST_MIDLANDS_POLICE,
            "Sutton Coldfield is in Birmingham, policed by West Midlands Police.",
        ),
        ("Glasgow", "S92000003", "Glasgow is policed by Police Scotland."),
        ("Belfast", "N92000002", "Belfast is policed by the Police Service of Northern Ireland."),
        ("Kidderminster", WEST_MERCIA_POLICE, "Kidderminster is in Wyre Forest, policed by West Mercia Police."),
        ("Bognor", "E23000033", "Bognor Regis is in Arun, policed by Sussex Police."),
        ("Llandudno", "W15000001", "Llandudno is in Conwy, policed by North Wales Police."),
        ("Bettws-y-Coed", "W15000001", "is in Conwy, policed by North Wales Police."),  # misspelt: Betws-y-Coed
    ],
)
def test_a_town_or_village_goes_to_its_force_and_the_page_says_how(seeded, client, typed, code, said):
    response = client.get("/areas/", {"q": typed})
    assert response.status_code == 302, typed
    assert response["Location"].startswith(f"/areas/{code}/")
    assert said in text_of(client.get(response["Location"]).content.decode())


def test_a_welsh_name_finds_its_community(seeded):
    welsh = PlaceName.objects.filter(kind__contains="Welsh name").first()
    match = find_areas(welsh.name).matches
    assert welsh.police_force_area.code in [m.area.code for m in match]


def test_newport_lists_each_force_with_its_council_the_council_first(seeded, client):
    html = client.get("/areas/", {"q": "Newport"}).content.decode()
    results = html.split('id="search-results-title"', 1)[1].split("</section>", 1)[0]
    items = [text_of(item) for item in re.findall(r"<li>(.*?)</li>", results, re.S)]
    assert items[0] == "Newport (council), Gwent Police"
    assert "Newport \u2014 Isle of Wight, Hampshire Constabulary" in items
    assert len(items) >= 6


def test_the_area_page_says_nothing_of_a_search_that_led_elsewhere(seeded, client):
    text = text_of(client.get("/areas/E23000016/", {"q": "B15 2TT"}).content.decode())
    assert "policed by" not in text.split("Worried about a child?")[0]


@pytest.mark.parametrize(
    "typed",
    ["B15 2TT" * 2000, "B15\x002TT", "\U0001f600", "' OR 1=1 --", "   ", "BB1O 1AA", "B1S 2TT", "%", "_", "GY", "IM1"],
)
def test_any_query_answers_kindly(seeded, client, typed):
    response = client.get("/areas/", {"q": typed})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200


def test_about_gives_the_credits_the_licences_ask_for(seeded, client):
    text = text_of(client.get("/about/").content.decode())
    assert (
        "Contains OS data \u00a9 Crown copyright and database right 2025. Contains Royal Mail data \u00a9 Royal "
        "Mail copyright and database right 2025. Contains National Statistics data \u00a9 Crown copyright and "
        "database right 2025."
    ) in text
    assert "Contains OS data \u00a9 Crown copyright and database right 2019." in text
    assert "Source: Office for National Statistics licensed under the Open Government Licence v3.0." in text
