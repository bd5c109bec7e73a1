"""The main navigation: one line on a desktop screen, and no sideways scrolling on a phone."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

NAV_LINKS = "nav[aria-label='Main'] a"


def _tops(page) -> list[float]:
    return page.locator(NAV_LINKS).evaluate_all("links => links.map(link => link.getBoundingClientRect().top)")


@pytest.mark.parametrize("width", [1280, 1024])
def test_every_main_navigation_link_sits_on_one_line_on_a_desktop_screen(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    tops = _tops(page)
    assert len(tops) == 9
    assert max(tops) - min(tops) < 1, f"the navigation wraps at {width}px: link tops {tops}"
    if width == 1280:
        screenshot(page, "navigation-1280-home")


@pytest.mark.parametrize("path", ["/", "/report/", "/contact/"])
def test_a_phone_screen_never_scrolls_sideways(page, site, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Every link is still on screen: the navigation may wrap, but nothing is pushed off the side.
    rights = page.locator(NAV_LINKS).evaluate_all("links => links.map(link => link.getBoundingClientRect().right)")
    assert rights and max(rights) <= 360
    screenshot(page, f"navigation-360-{path.strip('/') or 'home'}")


def test_a_navigation_link_shows_a_visible_focus_when_tabbed_to(page, site):
    page.goto(site + "/")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Report or get help")
    before = link.evaluate("link => getComputedStyle(link).backgroundColor")
    for _ in range(30):
        page.keyboard.press("Tab")
        if link.evaluate("link => link === document.activeElement"):
            break
    # The GOV.UK focus state: a yellow background, with dark text that can be read on it.
    assert link.evaluate("link => link === document.activeElement")
    assert link.evaluate("link => getComputedStyle(link).backgroundColor") == "rgb(255, 221, 0)" != before
    assert link.evaluate("link => getComputedStyle(link).color") == "rgb(11, 12, 12)"


def test_the_contact_page_and_its_error_state_pass_the_accessibility_checks(page, site):
    page.goto(site + "/contact/")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Send message").click()
    assert page.get_by_role("alert").get_by_role("link", name="Enter your message").is_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "contact-360-errors")
