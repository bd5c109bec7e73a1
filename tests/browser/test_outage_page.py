"""The page a visitor meets while the database does not answer, in real Chromium: accessible,
private, readable on a phone, with the quick exit and the helplines."""

import pytest

from dashboard import database_watch
from tests.browser.conftest import axe_violations, screenshot


class _NoAnswer:
    """The process's database watch, reporting no answer (the real outage is bench/drill.py)."""

    down = True


@pytest.mark.parametrize("width", [360, 1280])
def test_the_outage_page_gives_help_at_once_and_is_accessible(page, site, monkeypatch, width, off_site_requests):
    page.set_viewport_size({"width": width, "height": 800})
    monkeypatch.setattr(database_watch, "_watch", _NoAnswer())
    response = page.goto(site + "/areas/E23000015/")
    assert response.status == 503
    assert page.get_by_role("link", name="Exit this page").is_visible()
    text = page.locator("main").inner_text()
    for number in ("999", "101", "CEOP", "0800 1111", "0808 800 5000"):
        assert number in text
    assert axe_violations(page) == []
    assert off_site_requests == [] and page.context.cookies() == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, f"outage-{width}")
