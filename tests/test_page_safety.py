"""Public pages: no cookies, no inline scripts, nothing from other sites, strict headers."""

import re

import pytest

from tests.pages import PUBLIC_PAGES


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_the_page_sets_no_cookies_and_runs_only_our_own_scripts(seeded, client, page):
    response = client.get(page)
    assert not response.cookies
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"  # nothing is sent to other sites
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert ' src="/static/' in tag or 'type="application/json"' in tag, tag
    for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
        # Only links may point elsewhere (to sources and helplines); nothing is loaded from there.
        assert f'src="{url}"' not in html
    assert 'rel="stylesheet" href="/static/' in html
