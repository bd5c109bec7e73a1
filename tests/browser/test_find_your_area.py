"""A parent on a phone finds their area from the home page by postcode or town."""

import pytest

from tests.browser.conftest import axe_violations, screenshot


@pytest.mark.parametrize(
    ("typed", "area", "said"),
    [
        ("b152tt", "West Midlands Police", "B15 2TT is in Birmingham, policed by West Midlands Police."),
        ("Glasgow", "Scotland", "Glasgow is policed by Police Scotland."),
    ],
)
def test_a_parent_on_a_phone_goes_from_the_home_page_to_their_area(page, site, typed, area, said):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/")
    page.get_by_label("Find your area").fill(typed)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("heading", name=area, level=1).wait_for()
    assert page.get_by_text(said).is_visible()
    assert axe_violations(page) == []
    assert page.context.cookies() == []
    screenshot(page, f"phone-360-found-{typed.lower().replace(' ', '-')}")


def test_a_name_in_several_forces_lists_each_and_a_miss_keeps_the_help(page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/areas/?q=Newport")
    assert page.get_by_role("link", name="Gwent Police").first.is_visible()
    screenshot(page, "phone-360-search-newport")
    page.goto(site + "/areas/?q=ZZ99+9ZZ")
    assert page.get_by_text("We do not know the postcode").is_visible()
    assert page.locator('main a[href="tel:999"]').first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "phone-360-search-unknown-postcode")
