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
    assert "The count rose by 3%, from 7,062 in 2023/24 to 7,263 in 2024/25." in text
    assert "Since 2017/18, the first year published (3,728), it almost doubled." in text
    assert (
        "The forces counted changed: 41 UK forces in 2021/22, 45 UK forces in 2023/24 and "
        "44 UK forces (all but Lincolnshire) in 2024/25." in text
    )


def test_the_west_midlands_headlines_describe_their_change_in_plain_words(seeded, client):
    text = _home_text(client)
    assert "West Midlands Police 202 offences recorded in 2022" in text
    assert "The count rose almost nine-fold, from 23 in 2017 to 202 in 2022" in text
    assert "2017 covers only about nine months: the offence came into force on 3 April 2017" in text
    assert "The four West Midlands forces 391 offences recorded in 2024/25" in text
    # The latest change comes first: down from the year before, then up on the first year.
    assert "The count fell by 14%, from 457 in 2023/24 to 391 in 2024/25." in text
    assert "Since 2017/18, the first year published (194), it more than doubled." in text
    assert text.index("fell by 14%") < text.index("more than doubled")


def test_the_platform_headline_gives_its_denominator(seeded, client):
    text = _home_text(client)
    assert "The platform most often recorded Snapchat in 2024/25, United Kingdom" in text
    # The source said "around 40%": its own precision is kept.
    assert "It was recorded in about 40% of the 2,111 offences where police recorded the platform." in text


def test_headlines_follow_the_data(seeded, client):
    Figure.objects.filter(geography__code="E23000014", period__label="2022").update(value=Decimal("46"))
    Figure.objects.filter(
        geography__code="K02000001", period__label="2024/25", measure__slug="offences-recorded"
    ).update(value=Decimal("11184"))
    text = _home_text(client)
    assert "The count doubled, from 23 in 2017 to 46 in 2022" in text
    assert "Across the UK 11,184 offences recorded in 2024/25" in text
    assert "The count rose by 58%, from 7,062 in 2023/24 to 11,184 in 2024/25." in text
    assert "Since 2017/18, the first year published (3,728), it tripled." in text


def test_each_headline_cites_its_sources(seeded, client):
    html = client.get("/").content.decode()
    assert 'href="https://www.shropshirestar.com/uk-news/2025/11/13/four-year-old-boy' in html
    assert 'href="https://expressandstar.com/news/crime/2023/04/13/online-grooming-crimes' in html
    assert 'href="https://kenilworth.nub.news/news/local-news/nspcc-demands-urgent-action' in html


def test_it_links_to_help_with_the_most_urgent_routes_first(seeded, client):
    html = client.get("/").content.decode()
    assert html.index('href="tel:999"') < html.index('href="tel:101"') < html.index('href="tel:08088005000"')
