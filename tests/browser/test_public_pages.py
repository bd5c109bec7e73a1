"""Every public page in real headless Chromium: it draws, it is accessible, it stays private."""

import pytest

from tests.browser.conftest import ARTIFACTS, axe_violations, draw_all_charts, screenshot
from tests.pages import PUBLIC_PAGES


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_page_draws_its_charts_without_errors_or_accessibility_violations(
    page, site, path, console_errors, off_site_requests
):
    page.goto(site + path)
    draw_all_charts(page)
    assert page.locator("[data-drawn] svg.main-svg").count() >= page.locator("[data-chart]").count()
    assert console_errors == []
    assert axe_violations(page) == []
    assert off_site_requests == []
    assert page.context.cookies() == []
    screenshot(page, f"desktop-{_name(path)}")


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_page_fits_a_phone_screen_without_sideways_scrolling(page, site, path, width):
    # 320 CSS pixels is also what a 1280-pixel window shows at 400% zoom.
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(site + path)
    draw_all_charts(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, f"phone-{width}-{_name(path)}")


def test_a_chart_page_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/trends/")
    assert page.locator(".card__summary").first.is_visible()
    assert page.locator("#trend table tbody tr").count() > 0
    assert page.get_by_role("link", name="Download CSV of").count() == 1
    csv = page.request.get(site + "/trends/" + page.get_by_role("link", name="Download CSV of").get_attribute("href"))
    assert csv.ok and "source_publisher" in csv.text()
    context.close()


def test_the_accessibility_check_does_report_a_violation(page, site):
    page.goto(site + "/about/")
    page.evaluate("document.documentElement.removeAttribute('lang')")
    assert any(line.startswith("html-has-lang") for line in axe_violations(page))


def test_advice_prints_without_navigation_or_the_exit_button(page, site):
    page.goto(site + "/advice/")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("link", name="Exit this page").is_visible()
    assert page.get_by_role("heading", name="Signs to look out for").is_visible()
    page.pdf(path=str(ARTIFACTS / "print-advice.pdf"))


def test_the_map_draws_its_tiles_and_its_table_links_are_reachable_by_keyboard(page, site):
    page.goto(site + "/map/")
    draw_all_charts(page)
    assert page.locator("#map .chart[data-drawn] svg.main-svg").count() >= 1
    link = page.locator("#map table a").first
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("/areas/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/areas/*/")
