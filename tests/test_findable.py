"""Findable: titles, descriptions, canonical links and link previews; robots.txt and the sitemap."""

import re
import struct
import xml.etree.ElementTree as ET  # parses only the sitemaps this site writes
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import NoReverseMatch, reverse

from stats.models import Figure, Geography, Release
from stats.releases import withdraw
from tests.pages import PUBLIC_PAGES, SITE
from tests.test_whats_new import _forces, _release, _row

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SUFFIX = " \u2013 Grooming crime dashboard"
BASE_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "base.html"
DEFAULT_DESCRIPTION = re.search(r"{% block description %}(.*?){% endblock %}", BASE_TEMPLATE.read_text()).group(1)


def head_of(html: str) -> dict[str, str | list[str]]:
    """What a page's <head> says about it, unescaped as a browser or crawler reads it."""
    head = html.split("</head>", 1)[0]
    found: dict[str, str | list[str]] = {"title": unescape(re.search(r"<title>(.*?)</title>", head, re.S).group(1))}
    for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head):
        found[name] = unescape(content)
    found["canonical"] = [unescape(url) for url in re.findall(r'<link rel="canonical" href="([^"]*)"', head)]
    found["feeds"] = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
    return found


@pytest.fixture
def heads(seeded, client) -> dict[str, dict]:
    return {page: head_of(client.get(page).content.decode()) for page in PUBLIC_PAGES}


def test_every_public_page_says_what_it_is_to_search_engines_and_link_previews(heads):
    for page, head in heads.items():
        assert head["title"].endswith(SUFFIX) and len(head["title"]) > len(SUFFIX), page
        assert len(head["description"]) >= 50, page
        assert head["canonical"] == [f"{SITE}{urlsplit(page).path}"], page
        assert head["og:title"] == head["title"].removesuffix(SUFFIX), page
        assert head["og:description"] == head["description"], page
        assert head["og:url"] == head["canonical"][0], page
        assert head["og:type"] == "website", page
        assert head["og:site_name"] == "Online grooming crime in the UK", page
        assert head["og:image"] == f"{SITE}/static/social-card.png", page
        assert head["og:image:alt"], page
        assert head["twitter:card"] == "summary", page
        assert head["feeds"] == ["/whats-new/feed.atom"], page


def test_every_page_has_its_own_title_and_description(heads):
    """Pages that differ only by their query string (a search) are one page, with one canonical address."""
    by_path = {urlsplit(page).path: head for page, head in heads.items()}
    titles = [head["title"] for head in by_path.values()]
    descriptions = [head["description"] for head in by_path.values()]
    assert len(set(titles)) == len(titles)
    assert len(set(descriptions)) == len(descriptions)
    assert DEFAULT_DESCRIPTION not in descriptions  # every page describes itself
    assert by_path["/areas/E23000014/"]["description"].startswith(
        "Online grooming crimes recorded by police in West Midlands Police (police force area)"
    )


def test_the_canonical_address_drops_tracking_and_stray_parameters(seeded, client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "dashboard.example"]
    head = head_of(client.get("/trends/?utm_source=newsletter&fbclid=abc&geography=E23000014").content.decode())
    assert head["canonical"] == [f"{SITE}/trends/"]
    assert head["og:url"] == f"{SITE}/trends/"
    head = head_of(client.get('/about/?x="><script>', HTTP_HOST="dashboard.example").content.decode())
    assert head["canonical"] == [f"{SITE}/about/"]  # from SITE_URL, whichever allowed Host was asked


def test_a_title_with_quotes_stays_inside_its_attribute(seeded, client):
    # "What's new" has an apostrophe: the preview tags must escape it, not end the attribute.
    html = client.get("/whats-new/").content.decode()
    assert '<meta property="og:title" content="What&#x27;s new: every release of figures">' in html


def test_the_social_card_is_a_square_png_in_our_own_static_files():
    path = finders.find("social-card.png")
    assert path is not None
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (600, 600)


def test_the_footer_links_to_whats_new_on_every_page(seeded, client):
    for page in PUBLIC_PAGES:
        footer = client.get(page).content.decode().split('<footer class="site-footer">', 1)[1]
        assert '<a href="/whats-new/">What\'s new</a>' in footer, page


# robots.txt -----------------------------------------------------------------------------------


def test_robots_txt_allows_the_site_names_the_sitemap_and_never_the_admin(db, client, settings):
    settings.ALLOWED_HOSTS = ["dashboard.example"]
    response = client.get("/robots.txt", HTTP_HOST="dashboard.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    # The admin's address is a setting kept out of scanners' first file.
    assert not any("admin" in line for line in lines)
    assert "Disallow: /contact/?" in lines  # the form with ?from=<page>; /contact/ itself stays
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines  # from SITE_URL, not the Host asked on
    assert not response.cookies


# The sitemap ----------------------------------------------------------------------------------


def _xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 - our own output, not a visitor's


def sitemap_urls(client) -> dict[str, str | None]:
    """Every address the sitemap lists, with its lastmod, following the index to each section and page."""
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = {}
    for section in index.findall(f"{SITEMAP}sitemap"):
        loc = section.find(f"{SITEMAP}loc").text
        assert loc.startswith(f"{SITE}/sitemap-")
        urlset = _xml(client, loc.removeprefix(SITE))
        assert urlset.tag == f"{SITEMAP}urlset"
        for url in urlset.findall(f"{SITEMAP}url"):
            lastmod = url.find(f"{SITEMAP}lastmod")
            urls[url.find(f"{SITEMAP}loc").text] = lastmod.text if lastmod is not None else None
    return urls


def _resolves(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _expected_path(name: str, literal: str) -> str:
    return reverse(name) if _resolves(name) else literal


def test_the_sitemap_lists_every_public_page_area_figure_and_release(seeded, client):
    release = _release(_row("E23000014", 2011))
    withdraw(release=release, reason="Testing the sitemap.")
    urls = sitemap_urls(client)
    assert all(url.startswith(f"{SITE}/") for url in urls)
    paths = {url.removeprefix(SITE) for url in urls}
    pages = {urlsplit(page).path for page in PUBLIC_PAGES}
    pages |= {_expected_path("data", "/data/"), _expected_path("api_docs", "/api/")}
    assert pages <= paths
    assert {f"/areas/{code}/" for code in Geography.objects.values_list("code", flat=True)} <= paths
    assert Figure.objects.filter(status="withdrawn").exists()  # withdrawn figures keep their pages
    assert {f"/figures/{pk}/" for pk in Figure.objects.values_list("pk", flat=True)} <= paths
    assert {f"/whats-new/{number}/" for number in Release.objects.values_list("number", flat=True)} <= paths
    # and nothing else: no admin, no downloads, no query strings
    others = paths - pages
    assert all(re.fullmatch(r"/(areas/[A-Z0-9]+(/figures)?|figures/\d+|whats-new/\d+)/", path) for path in others), (
        others
    )


def test_a_figures_lastmod_is_the_day_of_the_latest_release_that_changed_it(seeded, client):
    release = _release(_row("E23000014", 2011))
    figure = Figure.objects.get(release=release)
    first = Release.objects.get(number=1)
    urls = sitemap_urls(client)
    assert urls[f"{SITE}/figures/{figure.pk}/"] == release.published_at.date().isoformat()
    seed_figure = Figure.objects.filter(release=first).order_by("pk").first()
    assert urls[f"{SITE}/figures/{seed_figure.pk}/"] == "2026-11-22"
    withdrawal = withdraw(release=release, reason="Testing lastmod.")
    urls = sitemap_urls(client)
    assert urls[f"{SITE}/figures/{figure.pk}/"] == withdrawal.published_at.date().isoformat()
    assert urls[f"{SITE}/about/"] is None  # not a page of figures: no date to give


def test_every_page_the_sitemap_lists_answers(seeded, client):
    urls = sitemap_urls(client)
    pages = [url for url in urls if "/areas/" not in url and "/figures/" not in url]
    sample = pages + [url for url in urls if "/areas/" in url][:3] + [url for url in urls if "/figures/" in url][:3]
    for url in sample:
        path = url.removeprefix(SITE)
        if path == "/api/" and not _resolves("api_docs"):
            continue  # another part of the site, not wired yet
        assert client.get(path).status_code == 200, path


def test_the_sitemap_costs_the_same_queries_whatever_the_number_of_figures(
    seeded, client, django_assert_max_num_queries
):
    # The index: for each section, a count and its latest date. A section: a count and a page.
    def fetch_all() -> None:
        with django_assert_max_num_queries(10):
            client.get("/sitemap.xml")
        for section in ("pages", "areas", "area-figures", "figures", "releases"):
            with django_assert_max_num_queries(2):
                assert client.get(f"/sitemap-{section}.xml").status_code == 200

    fetch_all()
    _release(*(_row(code, year) for code in _forces() for year in (2025, 2026, 2027)))
    for year in range(1995, 2005):
        _release(_row("E23000014", year))
    fetch_all()
    assert Figure.objects.count() > 200


def test_a_sitemap_page_that_does_not_exist_is_not_found(seeded, client):
    for url in (
        "/sitemap-figures.xml?p=2",
        "/sitemap-figures.xml?p=abc",
        "/sitemap-figures.xml?p=0",
        "/sitemap-nope.xml",
    ):
        assert client.get(url).status_code == 404, url
