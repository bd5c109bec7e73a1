"""Figure pages in real headless Chromium: the same checks as every public page, for a current
figure and for one restated by a later source (their numbers depend on the seed, so they are looked up)."""

import pytest

from stats.models import Figure
from tests.browser.conftest import axe_violations, screenshot


def _figure_path(which: str) -> str:
    figures = Figure.objects.superseded() if which == "restated" else Figure.objects.current()
    return f"/figures/{figures.order_by('pk').first().pk}/"


@pytest.mark.parametrize("which", ["current", "restated"])
def test_a_figure_page_is_accessible_private_and_fits_a_phone(db, page, site, which, console_errors, off_site_requests):
    path = _figure_path(which)
    page.goto(site + path)
    assert page.locator("h1").inner_text()
    assert "Cite this figure" in page.content()
    assert console_errors == [] and axe_violations(page) == []
    assert off_site_requests == [] and page.context.cookies() == []
    screenshot(page, f"desktop-figure-{which}")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + path)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, f"phone-360-figure-{which}")
