"""Absolute links come from SITE_URL, never from the Host a request came with.

An allowed Host can carry any port or a trailing dot. Every place the site writes an absolute
address (canonical and Open Graph tags, robots.txt, the sitemap, the feed, /data/, permalinks,
citations and embed codes, the API's links and documentation) is asked here on such a Host.
"""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from dashboard.settings import checked_site_url
from stats.models import Figure

PUBLIC = "https://dashboard.example.org"
ODD_HOSTS = ["127.0.0.1:6666", "127.0.0.1.", "localhost:1"]
ABSOLUTE = re.compile(r"""https?://[^\s"'<>)\\]+""")

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def public_site(settings) -> None:
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]


def _addresses(client, path: str, host: str) -> list[str]:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (path, host, response.status_code)
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    return [url for url in ABSOLUTE.findall(text) if "127.0.0.1" in url or "localhost" in url or PUBLIC in url]


def _paths() -> list[str]:
    figure = Figure.objects.order_by("pk").values_list("pk", flat=True).first()
    return [
        "/",
        "/trends/?geography=E23000014",
        "/areas/E23000014/",
        "/outcomes/",
        f"/figures/{figure}/",
        f"/figures/{figure}/?format=json",
        "/data/",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-figures.xml",
        "/whats-new/feed.atom",
        "/api/",
        "/api/v1/figures?geography=E23000014",
        f"/api/v1/figures/{figure}",
        "/embed/trends/?card=trend",
    ]


@pytest.mark.usefixtures("public_site")
@pytest.mark.parametrize("host", ODD_HOSTS)
def test_every_absolute_link_starts_with_site_url_whatever_the_host(client, host):
    for path in _paths():
        addresses = _addresses(client, path, host)
        assert addresses, path  # each of these writes at least one address of its own
        wrong = [url for url in addresses if not url.startswith(f"{PUBLIC}/")]
        assert not wrong, (path, host, wrong)


@pytest.mark.usefixtures("public_site")
def test_api_errors_and_pages_of_results_link_to_site_url(client):
    error = json.loads(client.get("/api/v1/figures?page=99999", HTTP_HOST="127.0.0.1:6666").content)
    assert error["docs"] == f"{PUBLIC}/api/"
    page = json.loads(client.get("/api/v1/figures?page_size=5", HTTP_HOST="127.0.0.1.").content)
    assert page["next"].startswith(f"{PUBLIC}/api/v1/figures?")
    assert all(item["permalink"].startswith(f"{PUBLIC}/figures/") for item in page["results"])


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://dashboard.example.org", "https://dashboard.example.org"),
        ("https://dashboard.example.org/", "https://dashboard.example.org"),
        ("  HTTPS://Dashboard.Example.org  ", "https://dashboard.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_a_site_url_is_kept_as_a_scheme_and_host(value, kept):
    assert checked_site_url(value) == kept


@pytest.mark.parametrize(
    "value",
    [
        "",
        "dashboard.example.org",  # no scheme
        "ftp://dashboard.example.org",
        "javascript:alert(1)",
        "https://",
        "https://dashboard.example.org.",  # a trailing dot
        "https://dashboard.example.org:",
        "https://dashboard.example.org:99999",
        "https://dashboard.example.org:port",
        "https://dashboard.example.org/grooming",  # a path
        "https://dashboard.example.org/?a=1",
        "https://dashboard.example.org/#top",
        "https://user@dashboard.example.org",
        "https://user:secret@dashboard.example.org",
    ],
)
def test_a_site_url_that_is_not_just_a_scheme_and_host_refuses_to_start(value):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be"):
        checked_site_url(value)
