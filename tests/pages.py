"""Helpers for page tests: the public pages and ways to read what they show."""

import csv
import io
import json
import re
from html import unescape

from django.conf import settings
from django.test import Client

# Every absolute link the site writes starts with the site's public address, never with the
# Host a request came with (the test client's is "testserver").
SITE = settings.SITE_URL

PUBLIC_PAGES = [
    "/",
    "/trends/",
    "/areas/",
    "/areas/E23000014/",
    "/areas/E23000014/figures/",
    "/areas/E12000005/",
    "/areas/E23000029/",  # Thames Valley: its only figures are the Home Office table's
    "/areas/S92000003/",  # Scotland: its own offence
    "/areas/?q=richmond",
    "/platforms/",
    "/map/",
    "/outcomes/",
    "/coverage/",
    "/sources/",
    "/about/",
    "/report/",
    "/advice/",
    "/contact/",
    "/whats-new/",
    "/whats-new/2/",
    "/api/",
    "/data/",
]


def text_of(html: str) -> str:
    """The page's visible words, tags stripped and spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def charts_of(html: str) -> dict[str, dict]:
    """Every chart spec embedded in a page, by element id."""
    found = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    return {element_id: json.loads(body) for element_id, body in found}


def download(client: Client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def download_link(html: str, card: str, file_format: str) -> str:
    """The card's own download link, as the page gives it."""
    section = html.split(f'id="{card}"', 1)[1].split("</figure>", 1)[0]
    (query,) = re.findall(rf'href="\?([^"]*format={file_format})"', section)
    return "?" + query.replace("&amp;", "&")


def table_rows(html: str, card: str) -> list[list[str]]:
    """The cells of a card's table, as text."""
    section = html.split(f'id="{card}"', 1)[1].split("</table>", 1)[0]
    body = section.split("<tbody>", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def bars_of(chart: dict) -> dict[str, float]:
    """A bar chart's bars as {name: value}: names are written above the bars, in bar order."""
    bars = chart["data"][-1]  # a share's bars are drawn over a track of the whole
    names = [re.sub(r"</?b>", "", unescape(note["text"])) for note in chart["layout"]["annotations"]]
    return dict(zip(names, bars["x"], strict=True))
