from stats.models import Figure
from tests.browser.conftest import axe_violations


def test_the_home_page_shows_the_figures_from_the_database(page, site):
    page.goto(site + "/")
    assert page.title().startswith("Online child grooming in the UK")
    rows = page.locator("table.data-table").first.locator("tbody tr")
    assert rows.count() == Figure.objects.current().count()
    assert page.get_by_role("cell", name="3,217").count() == 1


def test_the_home_page_has_no_accessibility_violations(page, site):
    page.goto(site + "/")
    assert axe_violations(page) == []


def test_the_home_page_sets_no_cookies_and_calls_no_other_site(page, site, off_site_requests):
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")
    assert page.context.cookies() == []
    assert off_site_requests == []


def test_the_accessibility_check_does_report_a_violation(page, site):
    page.goto(site + "/")
    page.evaluate("document.documentElement.removeAttribute('lang')")
    assert any(line.startswith("html-has-lang") for line in axe_violations(page))
