"""Every answer carries the same security headers: a page, a page replayed from the cache, and the
refusals made before any view runs (405, 413, a path no page has, the outage page, the contact
form's limit). Only the embeds may be framed, wherever their answer comes from."""

import pytest

from dashboard import database_watch
from tests.test_contact import URL as CONTACT_URL
from tests.test_contact import valid_message
from tests.test_embeds import EMBED_CSP_DIRECTIVE

# What the ordinary page below sends; HSTS joins them behind TLS (HTTPS_ONLY).
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


def _security_headers(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in SECURITY_HEADERS}


@pytest.fixture
def ordinary_page_headers(seeded, client) -> dict[str, str | None]:
    response = client.get("/about/")
    assert response.status_code == 200
    headers = _security_headers(response)
    assert all(headers.values()), headers  # every header named above is one the site sends
    return headers


class _Down:
    down = True


def test_the_405_the_413_and_an_ordinary_page_carry_the_same_security_headers(client, ordinary_page_headers):
    refused_method = client.delete("/about/")
    assert refused_method.status_code == 405
    refused_body = client.generic(
        "POST", CONTACT_URL, b"message=x", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="100000000"
    )
    assert refused_body.status_code == 413
    assert _security_headers(refused_method) == ordinary_page_headers
    assert _security_headers(refused_body) == ordinary_page_headers


def test_every_other_early_answer_carries_them_too(client, ordinary_page_headers, monkeypatch):
    control_character = client.get("/areas/%01/")
    assert control_character.status_code == 404
    over_the_limit = [client.post(CONTACT_URL, valid_message()) for _ in range(6)][-1]
    assert over_the_limit.status_code == 429
    monkeypatch.setattr(database_watch, "_watch", _Down())  # the process's watch, saying it has no answer
    outage = client.get("/areas/E23000015/")
    assert outage.status_code == 503
    for response in (control_character, over_the_limit, outage):
        assert _security_headers(response) == ordinary_page_headers, response.status_code


def test_a_page_from_the_cache_carries_them_as_it_did_when_built(client, ordinary_page_headers, page_cache):
    built, replayed = client.get("/report/"), client.get("/report/")
    assert (built["X-Cache"], replayed["X-Cache"]) == ("MISS", "HIT")
    assert _security_headers(built) == _security_headers(replayed) == ordinary_page_headers


@pytest.mark.parametrize("src", ["/embed/?card=national", "/embed/areas/NO-SUCH-AREA/"])
def test_an_embed_from_the_cache_may_still_be_framed_anywhere(client, ordinary_page_headers, page_cache, src):
    built, replayed = client.get(src), client.get(src)
    assert replayed["X-Cache"] == "HIT"
    for response in (built, replayed):
        assert "X-Frame-Options" not in response.headers
        assert EMBED_CSP_DIRECTIVE in response["Content-Security-Policy"].split("; ")
        expected = {**ordinary_page_headers, "X-Frame-Options": None}
        expected["Content-Security-Policy"] = expected["Content-Security-Policy"].replace(
            "frame-ancestors 'none'", EMBED_CSP_DIRECTIVE
        )
        assert _security_headers(response) == expected


def test_a_refusal_at_an_embed_address_is_not_framable(client, ordinary_page_headers):
    refused = client.post("/embed/?card=national")
    assert refused.status_code == 405
    assert _security_headers(refused) == ordinary_page_headers
