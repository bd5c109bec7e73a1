"""Embeddable cards: every card of every page can be framed alone on another site, and nothing else can.

Also the two things each card gains beside its embed code: the words drawn on its chart image
(data-image-* on the card) and table values that link to each figure's permanent page.
"""

import json
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse

from dashboard.citations import SITE_NAME
from stats.models import Figure
from tests.pages import SITE, download, download_link, table_rows, text_of

# Every page with cards, at its defaults and with a choice or two made.
CARD_PAGES = [
    "/",
    "/trends/",
    "/trends/?geography=E23000014&offence=online-grooming",
    "/areas/E23000014/",
    "/areas/E12000005/",
    "/platforms/",
    "/map/",
    "/map/?show=count&period=2021%2F22&sort=area",
    "/outcomes/",
]
EMBED_CSP_DIRECTIVE = "frame-ancestors *"
OPENAPI = "/api/v1/openapi.json"


def _cards(html: str) -> dict[str, str]:
    """Each card's markup, by slug."""
    return dict(re.findall(r'<figure class="card" id="([^"]+)"(.*?)</figure>', html, re.S))


def _embed_code(card_html: str) -> dict[str, str]:
    """The attributes of the iframe the card offers, as a host page would read them."""
    (code,) = re.findall(r'<textarea class="card__embed-code"[^>]*>(.*?)</textarea>', card_html, re.S)
    iframe = unescape(code)
    assert iframe.startswith("<iframe ") and iframe.endswith("></iframe>"), iframe
    return {name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', iframe)}


def _title(card_html: str) -> str:
    return text_of(re.search(r'class="card__title"[^>]*>(.*?)</h[12]>', card_html, re.S).group(1))


def _local(url: str) -> str:
    assert url.startswith(f"{SITE}/"), url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.mark.parametrize("page", CARD_PAGES)
def test_every_card_offers_iframe_code_that_frames_just_that_card(seeded, client, page):
    html = client.get(page).content.decode()
    cards = _cards(html)
    assert cards
    for slug, card_html in cards.items():
        iframe = _embed_code(card_html)
        assert iframe["title"] == _title(card_html)
        assert iframe["width"] == "100%" and iframe["loading"] == "lazy"
        assert 300 <= int(iframe["height"]) <= 3000
        src = _local(iframe["src"])
        assert src.startswith(f"/embed{page.split('?')[0]}?") and src.endswith(f"card={slug}")
        # The embed's query is the page's canonical one, the same as its downloads'.
        assert "?" + src.split("?", 1)[1] + "&format=csv" == download_link(html, slug, "csv")

        response = client.get(src)
        assert response.status_code == 200, src
        embed = response.content.decode()
        assert list(_cards(embed)) == [slug]
        assert f'<h1 class="card__title" id="{slug}-title">' in embed
        assert table_rows(embed, slug) == table_rows(html, slug)
        assert ('data-chart="' in embed) == ('data-chart="' in card_html)


def test_an_embed_has_sources_dates_a_link_back_and_help_but_no_site_chrome(seeded, client):
    page = client.get("/trends/").content.decode()
    src = _local(_embed_code(_cards(page)["trend"])["src"])
    embed = client.get(src).content.decode()
    words = text_of(embed)
    assert "Sources: East Anglian Daily Times (reporting NSPCC)" in words
    assert "(18 June 2018)" in words
    assert re.search(r"Published on this dashboard: \d+ \w+ \d{4} \(release \d+\)", words)
    # The link back is the full page's permalink, never the embed's own address; every link opens a new tab.
    (back,) = re.findall(r'<p class="card__open"><a href="([^"]+)" target="_blank">', embed)
    assert urlsplit(unescape(back)).path == "/trends/" and back.endswith("#trend")
    assert '<base target="_blank">' in embed
    assert re.search(r'href="/report/">Get help', embed)
    assert "Online grooming crime in the UK dashboard" in words
    for chrome in ("site-nav", "data-quick-exit", "quick-exit.js", "Skip to main content", "card__actions"):
        assert chrome not in embed
    assert "Embed this" not in embed and "Cite this" not in embed


@pytest.mark.parametrize(
    "src", ["/embed/?card=national", "/embed/areas/E23000014/figures/?card=all-figures", "/embed/map/?card=map"]
)
def test_an_embed_may_be_framed_anywhere_and_sets_no_cookies(seeded, client, src):
    page_csp = client.get("/").headers["Content-Security-Policy"]
    response = client.get(src)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    assert EMBED_CSP_DIRECTIVE in csp.split("; ")
    assert csp.replace(EMBED_CSP_DIRECTIVE, "frame-ancestors 'none'") == page_csp  # the rest is unchanged
    assert not response.cookies and "Set-Cookie" not in response.headers
    html = response.content.decode()
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith("/static/"), url  # nothing loads from another site


def _figure_page() -> str:
    return reverse("figure", args=[Figure.objects.published().values_list("pk", flat=True).first()])


def _api() -> list[str]:
    try:
        resolve(OPENAPI)
    except Resolver404:  # the API arrives in another change; checked here once it is routed
        return []
    return [OPENAPI]


@pytest.fixture
def ordinary_paths(seeded) -> list[str]:
    return [
        "/",
        "/trends/",
        "/areas/",
        "/areas/E23000014/",
        "/about/",
        "/report/",
        "/trends/?card=trend&format=csv",
        "/areas/E23000014/figures/?card=all-figures&format=json",
        _figure_page(),
        "/admin/login/",
        "/no-such-page/",
        "/embed/sources/?card=x",  # not an embed: there is no such route
        *_api(),
    ]


def test_every_other_response_refuses_to_be_framed(client, ordinary_paths):
    for path in ordinary_paths:
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"].split("; "), path


@pytest.mark.parametrize(
    "src",
    [
        "/embed/trends/?card=no-such-card",
        "/embed/trends/",
        "/embed/?card=no-such-map",
        "/embed/areas/XX999999/?card=all-figures",
        "/embed/areas/XX999999/figures/?card=all-figures",
        "/embed/areas/e23000014/?card=trend-no-such-offence",
        "/embed/trends/?card=trend&format=xls",
        "/embed/outcomes/?card=%00",
        "/embed/platforms/?card=platforms&card=",
    ],
)
def test_a_chart_that_is_not_there_is_a_404_that_says_so_inside_the_frame(seeded, client, src):
    response = client.get(src)
    assert response.status_code == 404
    assert "X-Frame-Options" not in response.headers
    assert "This chart is not on the dashboard" in text_of(response.content.decode())


@pytest.mark.parametrize("src", ["/embed/sources/?card=x", "/embed/areas/?card=x", "/embed/figures/1/?card=x"])
def test_a_page_without_cards_has_no_embed(seeded, client, src):
    response = client.get(src)
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "src",
    [
        "/embed/trends/?geography=<script>&offence=%00&card=trend",
        "/embed/map/?period=1999%2F00&show=sideways&card=map",
        "/embed/platforms/?view=nowhere&card=all-shares",
    ],
)
def test_a_bad_query_still_embeds_the_card_and_says_what_was_shown_instead(seeded, client, src):
    response = client.get(src)
    assert response.status_code == 200
    assert "We could not show exactly what the link asked for" in text_of(response.content.decode())


def test_the_embed_code_escapes_a_title_so_it_cannot_close_the_code_box(seeded, client):
    html = client.get("/trends/").content.decode()
    box = re.search(r'<textarea class="card__embed-code"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "<" not in box and '"' not in box  # all of it text, shown as code to copy


@pytest.mark.parametrize("page", ["/trends/", "/areas/E23000014/", "/platforms/", "/map/", "/outcomes/"])
def test_each_tabled_value_links_to_its_figures_page_and_the_first_cell_keeps_its_link(seeded, client, page):
    html = client.get(page).content.decode()
    for slug, card_html in _cards(html).items():
        body = card_html.split("<tbody>", 1)[1]
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        ids = [row["figure_id"] for row in download(client, page.split("?")[0] + download_link(html, slug, "csv"))]
        linked = [
            re.findall(r'<td class="numeric"><a href="/figures/(\d+)/" aria-label="([^"]+)">([^<]+)</a>', r)
            for r in rows
        ]
        assert [link[0][0] for link in linked] == ids, slug  # one link a row, to that row's figure
        for ((_, label, text),) in linked:
            assert unescape(label) == f"{unescape(text)} (figure details)"
    if page == "/map/":
        assert '<th scope="row"><a href="/areas/E23000014/">West Midlands Police</a></th>' in html


def test_the_linked_value_is_the_figure_itself_not_a_rate_worked_out_from_it(seeded, client):
    html = client.get("/map/?show=rate&period=2021%2F22").content.decode()
    row = re.findall(r"<tr>(.*?)</tr>", _cards(html)["map"].split("<tbody>", 1)[1], re.S)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert "/figures/" in cells[1] and "/figures/" not in cells[2]  # Value linked; "Per 10,000 children" not
    figure_id = re.search(r"/figures/(\d+)/", cells[1]).group(1)
    assert client.get(f"/figures/{figure_id}/").status_code == 200


@pytest.mark.parametrize("page", ["/", "/areas/E23000014/", "/platforms/", "/map/", "/outcomes/"])
def test_a_charted_card_carries_the_words_its_image_is_drawn_with(seeded, client, page):
    response = client.get(page)
    html = response.content.decode()
    for slug, card_html in _cards(html).items():
        charted = 'data-chart="' in card_html
        assert ("data-image-credit" in card_html) == charted
        assert ("data-image-downloads" in card_html) == charted
        if not charted:
            continue
        image = {name: unescape(value) for name, value in re.findall(r'data-image-(\w+)="([^"]*)"', card_html)}
        assert image["title"] == _title(card_html)
        csv = client.get(page.split("?")[0] + download_link(html, slug, "csv"))
        assert csv["Content-Disposition"] == f'attachment; filename="{image["filename"]}.csv"'
        card = next(c for c in response.context["cards"] if c.slug == slug)
        credit = image["credit"]
        assert credit.startswith("Source: " if len(card.sources) == 1 else "Sources: ")
        for source in card.sources:
            assert f"{source.publisher}, {source.published_label}" in credit
        assert f" \u00b7 {SITE_NAME}, accessed " in credit
        assert credit.endswith(f" \u00b7 {card.permalink}") and card.permalink.endswith(f"#{slug}")
        assert image["link"] == card.permalink
        assert image["key"] == "\n".join(card.chart_key)
        assert json.loads(image.get("legend", "[]")) == [list(item) for item in card.legend]
    if page == "/map/":
        assert "no published figure" in image["legend"]


def test_an_embed_costs_the_same_queries_as_its_page(seeded, client):
    for page, card in [("/trends/", "trend"), ("/areas/E23000014/figures/", "all-figures"), ("/map/", "map")]:
        client.get(page)  # what is worked out once per version of the data (the map's choice of years)
        with CaptureQueriesContext(connection) as on_page:
            client.get(page)
        with CaptureQueriesContext(connection) as embedded:
            assert client.get(f"/embed{page}?card={card}").status_code == 200
        assert len(embedded) == len(on_page), page


@pytest.mark.parametrize("query", ["%ff%fe=%ff", "card[]=trend", "card=trend&geography=E23000014%27%3B--", "&&&==="])
def test_a_hostile_query_on_an_embed_gets_the_card_or_a_404(seeded, client, query):
    response = client.get(f"/embed/trends/?{query}")
    assert response.status_code in (200, 404)


def test_an_embed_before_any_data_is_loaded_is_a_404(empty_db, client):
    assert client.get("/embed/trends/?card=trend").status_code == 404
    assert client.get("/embed/outcomes/?card=outcomes").status_code == 404


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def test_only_the_embed_routes_may_be_framed_and_each_of_them_is():
    framable = {
        route for route, view in _routes(get_resolver().url_patterns) if getattr(view, "framable_anywhere", False)
    }
    assert framable == {
        "embed/",
        "embed/trends/",
        "embed/areas/<str:code>/",
        "embed/areas/<str:code>/figures/",
        "embed/platforms/",
        "embed/map/",
        "embed/outcomes/",
    }
