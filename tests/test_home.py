"""The home page: headline figures computed from the database, each with period and source."""

from decimal import Decimal

from stats.models import Figure
from tests.pages import text_of


def _home_text(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_the_uk_headline_is_the_latest_total_and_its_change_since_the_first_year(seeded, client):
    text = _home_text(client)
    assert "Across the UK 7,263 offences recorded in 2024/25" in text
    assert "That almost doubled from 3,728 in 2017/18." in text


def test_the_west_midlands_headlines_describe_their_change_in_plain_words(seeded, client):
    text = _home_text(client)
    assert "West Midlands Police 202 offences recorded in 2022" in text
    assert "That rose almost nine-fold from 23 in 2017." in text
    assert "The four West Midlands forces 391 offences recorded in 2024/25" in text
    assert "That more than doubled from 194 in 2017/18." in text
    assert "The highest figure was 457 in 2023/24." in text


def test_the_platform_headline_gives_its_denominator(seeded, client):
    text = _home_text(client)
    assert "The platform most often recorded Snapchat in 2024/25, United Kingdom" in text
    assert "It was recorded in 40% of the 2,111 offences where police recorded the platform." in text


def test_headlines_follow_the_data(seeded, client):
    Figure.objects.filter(geography__code="E23000014", period__label="2022").update(value=Decimal("46"))
    Figure.objects.filter(
        geography__code="K02000001", period__label="2024/25", measure__slug="offences-recorded"
    ).update(value=Decimal("11184"))
    text = _home_text(client)
    assert "That doubled from 23 in 2017." in text
    assert "Across the UK 11,184 offences recorded in 2024/25" in text
    assert "That tripled from 3,728 in 2017/18." in text


def test_each_headline_cites_its_sources(seeded, client):
    html = client.get("/").content.decode()
    assert 'href="https://www.shropshirestar.com/uk-news/2025/11/13/four-year-old-boy' in html
    assert 'href="https://expressandstar.com/news/crime/2023/04/13/online-grooming-crimes' in html
    assert 'href="https://kenilworth.nub.news/news/local-news/nspcc-demands-urgent-action' in html


def test_it_links_to_help_with_the_most_urgent_routes_first(seeded, client):
    html = client.get("/").content.decode()
    assert html.index('href="tel:999"') < html.index('href="tel:101"') < html.index('href="tel:08088005000"')
