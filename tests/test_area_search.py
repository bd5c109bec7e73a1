"""/areas/?q=: a parent finds their police force area by the town, council or force they know."""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.models import Geography
from stats.place_search import MAX_QUERY_LENGTH, clean_query, find_areas, normal_form
from tests.pages import text_of


def _main(html: str) -> str:
    """The page's own content: the footer's contact link may carry the whole address it was on."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


WEST_MIDLANDS_POLICE = "E23000014"
CITY_OF_LONDON_POLICE = "E23000034"
METROPOLITAN_POLICE = "E23000001"


def _codes(query: str) -> list[str]:
    return [match.area.code for match in find_areas(query).matches]


@pytest.mark.parametrize(
    ("query", "code", "place"),
    [
        ("birmingam", WEST_MIDLANDS_POLICE, "Birmingham"),  # misspelt
        ("stoke on tr", "E23000015", "Stoke-on-Trent"),  # the start of a council's name
        ("Kettering", "E23000022", "Kettering"),  # an older district, now North Northamptonshire
        ("Shepway", "E23000032", "Shepway"),
        ("Aylesbury Vale", "E23000029", "Aylesbury Vale"),
        ("Cardiff", "W15000003", "Cardiff"),
        ("City of London", CITY_OF_LONDON_POLICE, "City of London Police"),
        ("E08000025", WEST_MIDLANDS_POLICE, "Birmingham"),  # a council's code
        ("E23000014", WEST_MIDLANDS_POLICE, "West Midlands Police"),  # the area's own code
        ("West Midlands Police", WEST_MIDLANDS_POLICE, "West Midlands Police"),
        ("Staffordshire Constabulary", "E23000015", "Staffordshire Police"),  # the force's name, wrong suffix
        ("met police", METROPOLITAN_POLICE, "Metropolitan Police Service"),
        ("Bristol", "E23000036", "Bristol, City of"),  # ONS writes it 'Bristol, City of'
        ("Harrogate", "E23000009", "Harrogate"),  # a district abolished in 2023
    ],
)
def test_a_place_finds_its_one_police_force_area(seeded, query, code, place):
    match = find_areas(query).only_match
    assert match is not None, query
    assert (match.area.code, match.place.name) == (code, place)


def test_the_city_of_london_is_not_the_metropolitan_police(seeded):
    assert _codes("City of London") == [CITY_OF_LONDON_POLICE]


def test_a_name_shared_by_places_in_different_forces_finds_each_of_them(seeded):
    richmond = find_areas("richmond").matches
    # The town of Richmond (North Yorkshire), a Sheffield ward's locality, and the council whose
    # name begins with it: the council first, then whole towns.
    assert [(m.place.name, m.place.kind, m.area.name) for m in richmond] == [
        ("Richmond upon Thames", "council", "Metropolitan Police Service"),
        ("Richmond", "in North Yorkshire", "North Yorkshire Police"),
        ("Richmond", "in Sheffield", "South Yorkshire Police"),
    ]
    assert {m.place.name: m.area.code for m in find_areas("Newcastle").matches} == {
        "Newcastle upon Tyne": "E23000007",
        "Newcastle-under-Lyme": "E23000015",
        "Newcastle": "S92000003",  # a village in Scotland
    }


def test_several_places_in_one_force_are_one_match(seeded):
    # Every council with 'Devon' in its name is covered by Devon and Cornwall Police.
    assert _codes("devon")[0] == "E23000035"  # then Crook of Devon, a Scottish village
    assert _codes("tyneside") == ["E23000007"]  # North and South Tyneside, both Northumbria


def test_a_region_or_nation_named_outright_is_found_too(seeded):
    assert _codes("Wales") == ["W92000004", "E23000011"]  # the nation, then a parish in Rotherham
    assert _codes("West Midlands") == [WEST_MIDLANDS_POLICE, "E12000005"]  # the force first, then the region


@pytest.mark.parametrize(
    "query",
    [
        "STOKE-ON-TRENT",
        "stoke on trent",
        "  Stoke   on\tTrent  ",
        "stoke-on-trent!",
        "Stoke on Trnt",
        "Stoke\u200b-on-Trent",
    ],
)
def test_case_punctuation_spacing_and_a_typo_do_not_matter(seeded, query):
    assert _codes(query) == ["E23000015"]


@pytest.mark.parametrize(
    ("first", "second"),
    [("St Helens", "Saint Helens"), ("st. helens", "ST HELENS"), ("Brighton & Hove", "brighton and hove")],
)
def test_saint_and_ampersand_are_spelt_either_way(seeded, first, second):
    assert normal_form(first) == normal_form(second)
    assert _codes(first) == _codes(second) != []


@pytest.mark.parametrize("query", ["xyzzyplugh", "police", "!!!", "E99999999", "zz"])
def test_nonsense_finds_nothing(seeded, query):
    assert find_areas(query).matches == ()


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("", ""),
        ("   \t\n ", ""),
        ("Kettering\x00", "Kettering"),
        ("Ket\x1btering", "Ket tering"),  # a control character reads as a space
        ("Ket\u202etering", "Kettering"),  # a direction override is dropped
        ("a" * 10_000, "a" * MAX_QUERY_LENGTH),
    ],
)
def test_a_query_is_cleaned_and_capped(raw, cleaned):
    assert clean_query(raw) == cleaned


def test_one_match_redirects_straight_to_its_area_page(seeded, client):
    response = client.get("/areas/", {"q": "birmingam"})
    assert response.status_code == 302
    assert response["Location"] == f"/areas/{WEST_MIDLANDS_POLICE}/?q=birmingam"


def test_a_code_typed_in_lower_case_redirects_to_its_area(seeded, client):
    location = client.get("/areas/", {"q": "e08000025"})["Location"]
    assert location == f"/areas/{WEST_MIDLANDS_POLICE}/?q=e08000025"


def test_several_matches_are_listed_first_each_saying_which_place_matched(seeded, client):
    response = client.get("/areas/", {"q": "richmond"})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "3 areas match \u2018richmond\u2019" in text
    assert "Richmond upon Thames (council), Metropolitan Police Service" in text
    assert "Richmond \u2014 North Yorkshire, North Yorkshire Police" in text
    results = html.split('id="search-results-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'href="(/areas/[^"?]+)', results) == [
        f"/areas/{METROPOLITAN_POLICE}/",
        "/areas/E23000009/",
        "/areas/E23000011/",
    ]
    assert html.index('id="search-results-title"') < html.index('class="area-tree"')


def test_no_match_says_so_kindly_above_the_whole_list(seeded, client):
    response = client.get("/areas/", {"q": "xyzzyplugh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "We could not find \u2018xyzzyplugh\u2019. Check the spelling, or type a postcode, town or council; "
        "you can also pick your area from the list below."
    ) in text_of(html)
    assert "try the name of your town" not in text_of(html).lower()
    assert html.index('href="tel:999"', html.index("<main")) < html.index('class="area-tree"')
    assert html.count('href="/areas/') >= Geography.objects.count()
    assert 'value="xyzzyplugh"' in html  # the form keeps what was typed, to correct it


@pytest.mark.parametrize("query", ["", "   ", "%00"])
def test_an_empty_query_shows_the_normal_page(seeded, client, query):
    text = text_of(client.get(f"/areas/?q={query}").content.decode())
    assert "could not find" not in text and "areas match" not in text
    assert "The United Kingdom and its parts" in text  # the normal page's lead


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("a" * 10_000, id="10000-characters"),
        "%00",
        "Birm%00ingham",
        "%01%02%1b%7f%c2%85",
        "%e2%80%ae%e2%80%8b",
        "%ff%fe",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "richmond&q=",
        quote("Ket\ttering\r\n"),
    ],
)
def test_a_hostile_query_gets_a_page_or_a_redirect_never_an_error(seeded, client, query):
    response = client.get(f"/areas/?q={query}")
    assert response.status_code in (200, 302), query
    body = response.content.decode()
    assert "<script>alert" not in body
    if response.status_code == 200:
        assert "a" * (MAX_QUERY_LENGTH + 1) not in _main(body)


def test_a_long_query_is_quoted_back_only_in_part(seeded, client):
    main = _main(client.get("/areas/", {"q": "x" * 10_000}).content.decode())
    assert f"We could not find \u2018{'x' * MAX_QUERY_LENGTH}\u2019." in text_of(main)
    assert "x" * (MAX_QUERY_LENGTH + 1) not in main


@pytest.mark.parametrize("path", ["/", "/areas/"])
def test_the_search_form_is_on_the_home_page_and_the_areas_page(seeded, client, path):
    html = client.get(path).content.decode()
    (form,) = re.findall(r'<form class="area-search".*?</form>', html, re.S)
    assert 'method="get" action="/areas/"' in form
    assert '<label class="area-search__label" for="area-search-q">Find your area</label>' in form
    assert "Postcode, town or council" in form
    (field,) = re.findall(r"<input[^>]*>", form)
    for attribute in ('type="search"', 'name="q"', 'maxlength="100"', 'autocomplete="off"', 'id="area-search-q"'):
        assert attribute in field
    assert '<button type="submit" class="button">Find</button>' in form


def test_on_the_home_page_the_form_follows_the_help_box_and_precedes_the_headlines(seeded, client):
    html = client.get("/").content.decode()
    assert html.index('id="help-title"') < html.index('class="area-search"') < html.index("The headline figures")


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/areas/", {"q": query}).status_code in (200, 302)
    return len(queries)


def test_the_search_makes_the_same_few_queries_whatever_is_typed(seeded, client):
    _queries(client, "warm")  # the first search of a process indexes every place name (four queries)
    queries = ("richmond", "xyzzyplugh", "north", "a" * 10_000)
    counts = {query[:20]: _queries(client, query) for query in queries}
    assert set(counts.values()) == {counts["richmond"]}, counts
    assert counts["richmond"] <= 3  # is the index current, then the list itself
    assert _queries(client, "birmingam") <= 2  # a redirect needs no list
