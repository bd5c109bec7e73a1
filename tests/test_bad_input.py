"""Query strings never cause a 500, and nothing typed into one is echoed unescaped."""

import pytest

from tests.pages import PUBLIC_PAGES

HOSTILE = [
    "geography=E2300014",
    "geography=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "geography=K02000001&geography=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "offence=" + "A" * 20000,
    "measure=platform-share",
    "measure=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "compare=K02000001&geography=K02000001",
    "view=%00",
    "view=K02000001%3A1999%2F00",
    "format=csv",
    "format=csv&card=nope",
    "card=trend&format=xml",
    "geography[]=x&offence[]=y",
    "%ff%fe=%ff",
    "geography=E23000014%27%3B%20DROP%20TABLE%20stats_figure%3B--",
    "&&&===",
]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_a_hostile_query_string_gets_a_page_or_a_404(seeded, client, page):
    for query in HOSTILE:
        response = client.get(f"{page}?{query}")
        assert response.status_code in (200, 404), query
        body = response.content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, query


def test_an_unknown_choice_says_what_it_showed_instead(seeded, client):
    response = client.get("/trends/?geography=E2300014&offence=sexual-communication-with-a-child")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Area: we have no figures for \u2018E2300014\u2019. Showing United Kingdom instead." in html


def test_a_huge_value_is_quoted_back_only_in_part(seeded, client):
    html = client.get("/trends/?offence=" + "A" * 20000).content.decode()
    assert "A" * 41 not in html
    assert "A" * 40 + "\u2026" in html


def test_too_many_parameters_are_refused_cleanly(seeded, client):
    query = "&".join(f"p{i}=1" for i in range(1500))
    assert client.get(f"/trends/?{query}").status_code == 400


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_pages_work_before_any_data_is_loaded(empty_db, client, page):
    assert client.get(page).status_code in (200, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/areas/%00/",
        "/embed/areas/%00/?card=trend",
        "/areas/E23%0A000014/",
        "/figures/%00/",
        "/data/figures.%00",
        "/%7F/",
    ],
)
def test_a_path_with_nul_or_control_characters_is_a_404_not_a_500(seeded, client, path):
    # PostgreSQL cannot store NUL: before this, /areas/%00/ reached a query and raised.
    response = client.get(path)
    assert response.status_code == 404
    assert "Exit this page" in response.content.decode()  # the site's own 404 page, with the quick exit
