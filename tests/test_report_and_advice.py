"""/report/ and /advice/: every route with its number or link, editable by admins; advice tied to the data."""

import csv
import datetime as dt
import re

import pytest
from django.urls import reverse

from feedback.accessibility import STATEMENT_PREPARED, STATEMENT_REVIEWED
from feedback.templatetags import accessibility_statement
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


def _words(html: str) -> str:
    """Visible words, with no space left before a full stop where an inline tag (a date's <time>) ended."""
    return re.sub(r"\s+([.,])", r"\1", text_of(html))


def _section(html: str, heading_id: str) -> str:
    """The words of one h2 section of a page: from its heading to the next h2."""
    return text_of(html.split(f'<h2 id="{heading_id}">', 1)[1].split("<h2", 1)[0])


def test_cover_your_tracks_says_what_the_exit_button_does_and_does_not_do(seeded, client):
    section = _section(client.get("/report/").content.decode(), "cover-your-tracks")
    # quick-exit.js swaps only the current page out of the tab's history (location.replace).
    assert "will not be in your back button history" not in section
    assert "The page you were reading is swapped for that website, so pressing Back does not bring it back." in section
    assert "It does not delete your browsing history." in section
    assert (
        "If you looked at other pages of this site in the same tab first, pressing Back can still bring those"
        in section
    )
    assert "Delete the pages of this site from your browsing history." in section
    assert "use a private or incognito window" in section


def test_the_accessibility_statement_has_what_the_regulations_require(seeded, client):
    html = client.get("/about/").content.decode()
    section = html.split('<h2 id="accessibility">', 1)[1].split('<h2 id="privacy">', 1)[0]
    text = _words(section)
    assert "This statement was prepared on 23 November 2026. It was last reviewed on 23 November 2026." in text
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert 'href="/contact/?topic=accessibility&amp;from=/about/"' in section
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert 'href="https://www.equalityadvisoryservice.com/" rel="noreferrer"' in section
    assert "Equality Advisory and Support Service (EASS)" in text
    assert 'href="https://www.equalityni.org/Home" rel="noreferrer"' in section
    assert "Equality Commission for Northern Ireland (ECNI)" in text


def test_the_statements_dates_come_from_one_place(seeded, client, monkeypatch):
    monkeypatch.setattr(accessibility_statement, "STATEMENT_REVIEWED", dt.date(2027, 5, 1))
    text = _words(client.get("/about/").content.decode())
    assert "It was last reviewed on 1 May 2027." in text
    assert STATEMENT_PREPARED <= STATEMENT_REVIEWED


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
    assert "It was recorded in about 40% of the 2,111 offences where police recorded the platform." in text
    assert 'href="/platforms/">See the platform figures' in client.get("/advice/").content.decode()


def test_the_advice_fact_follows_the_data(seeded, client):
    Figure.objects.filter(platform__name="WhatsApp", period__label="2024/25").update(value=45)
    text = text_of(client.get("/advice/").content.decode())
    assert "WhatsApp was the platform police recorded most often" in text


def test_advice_links_each_platforms_own_safety_centre(seeded, client):
    html = client.get("/advice/").content.decode()
    for address in (
        "https://values.snap.com/safety/safety-center",
        "https://about.instagram.com/safety",
        # Kik's own help centre, answering parents whose teen got an unwanted message.
        "https://help.kik.com/hc/en-us/articles/4402400774043-What-can-I-do-if-my-teen-has-received-an-unwanted-or-inappropriate-message",
    ):
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
