"""/report/ and /advice/: every route with its number or link, editable by admins; advice tied to the data."""

import csv

import pytest
from django.urls import reverse

from stats.models import Figure, ReportingRoute
from stats.seeding import SEED_DIR
from tests.pages import PUBLIC_PAGES, text_of


def _seed_routes() -> list[dict[str, str]]:
    with (SEED_DIR / "reporting_routes.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_seeded_route_appears_with_its_number_or_link(seeded, client):
    html = client.get("/report/").content.decode()
    for route in _seed_routes():
        assert route["name"].replace("'", "&#x27;") in html
        if route["phone"]:
            assert f'href="tel:{route["phone"].replace(" ", "")}"' in html
        if route["url"]:
            assert f'href="{route["url"]}"' in html


def test_routes_are_listed_most_urgent_first(seeded, client):
    html = client.get("/report/").content.decode()
    positions = [html.index(f'id="route-{route["key"]}"') for route in _seed_routes()]
    assert positions == sorted(positions)


def test_the_under_18_path_offers_childline_and_report_remove(seeded, client):
    html = client.get("/report/").content.decode()
    path = html.split('id="under-18"', 1)[1].split("</section>", 1)[0]
    assert "Childline" in path and "Report Remove" in path and 'href="tel:08001111"' in path
    assert "NSPCC Helpline" not in path


def test_the_page_warns_never_to_forward_sexual_images(seeded, client):
    text = text_of(client.get("/report/").content.decode())
    assert "Never forward, copy, save or screenshot a sexual image or video of a child, even to report it." in text


def _route_form(route: ReportingRoute, **changes) -> dict:
    data = {
        "key": route.key,
        "name": route.name,
        "who_for": route.who_for,
        "phone": route.phone,
        "url": route.url,
        "anonymous": "on" if route.anonymous else "",
        "when_to_use": route.when_to_use,
        "note": route.note,
        "for_young_people": "on" if route.for_young_people else "",
        "order": route.order,
        "last_checked": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editing_a_route_in_the_admin_changes_the_page(seeded, admin_client, client):
    route = ReportingRoute.objects.get(key="nspcc-helpline")
    url = reverse("admin:stats_reportingroute_change", args=[route.pk])
    response = admin_client.post(url, _route_form(route, phone="0808 800 5001", last_checked="2026-11-20"))
    assert response.status_code == 302
    html = client.get("/report/").content.decode()
    assert 'href="tel:08088005001"' in html and "0808 800 5000" not in html
    assert "We last checked these numbers and links on 20 November 2026." in html


def test_a_route_with_neither_phone_nor_link_is_rejected(seeded, admin_client):
    route = ReportingRoute.objects.get(key="barnardos")
    url = reverse("admin:stats_reportingroute_change", args=[route.pk])
    response = admin_client.post(url, _route_form(route, url=""))
    assert response.status_code == 200
    assert "Give a phone number, a web address or both." in response.content.decode()
    route.refresh_from_db()
    assert route.url.startswith("https://www.barnardos.org.uk/")


def test_advice_links_its_platform_fact_to_the_data(seeded, client):
    text = text_of(client.get("/advice/").content.decode())
    assert (
        "Snapchat was the platform police recorded most often in grooming offences in 2024/25, United Kingdom." in text
    )
    assert "It was recorded in 40% of the 2,111 offences where police recorded the platform." in text
    assert 'href="/platforms/">See the platform figures' in client.get("/advice/").content.decode()


def test_the_advice_fact_follows_the_data(seeded, client):
    Figure.objects.filter(platform__name="WhatsApp", period__label="2024/25").update(value=45)
    text = text_of(client.get("/advice/").content.decode())
    assert "WhatsApp was the platform police recorded most often" in text


def test_advice_links_each_platforms_own_safety_centre(seeded, client):
    html = client.get("/advice/").content.decode()
    for address in ("https://values.snap.com/safety/safety-center", "https://about.instagram.com/safety"):
        assert f'href="{address}"' in html
    assert "Source:" in html


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_public_page_has_an_exit_link_that_works_without_javascript(seeded, client, settings, page):
    settings.QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    response = client.get(page)
    html = response.content.decode()
    assert 'class="quick-exit__button" href="https://www.bbc.co.uk/weather" rel="noreferrer"' in html
    assert 'href="/report/#cover-your-tracks"' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert not response.cookies
