"""Exit this page: always visible, leaves at once by click or by Shift three times, and Back cannot return."""

import pytest

from tests.pages import PUBLIC_PAGES

NEUTRAL = "http://neutral.exit.test/"  # answered by the test itself, never by a network


@pytest.fixture
def exit_page(page, settings):
    """Point the exit at a neutral page the browser context serves locally."""
    settings.QUICK_EXIT_URL = NEUTRAL
    page.context.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"),
    )
    return page


def _start_from_a_blank_tab(page, site: str, path: str) -> None:
    page.goto("about:blank")
    page.goto(site + path)
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_exit_button_is_visible_at_the_top_and_after_scrolling(page, site, path, width):
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(site + path)
    button = page.get_by_role("link", name="Exit this page")
    assert button.is_visible() and button.bounding_box()["y"] < 80
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = button.bounding_box()
    assert button.is_visible() and 0 <= box["y"] < 80  # still in view: it sticks to the top


def test_clicking_exit_leaves_and_back_does_not_return(exit_page, site):
    _start_from_a_blank_tab(exit_page, site, "/advice/")
    exit_page.get_by_role("link", name="Exit this page").click()
    exit_page.wait_for_url(NEUTRAL)
    exit_page.go_back()
    assert exit_page.url == "about:blank"


def test_pressing_shift_three_times_leaves_and_back_does_not_return(exit_page, site):
    _start_from_a_blank_tab(exit_page, site, "/report/")
    for _ in range(3):
        exit_page.keyboard.press("Shift")
    exit_page.wait_for_url(NEUTRAL)
    exit_page.go_back()
    assert exit_page.url == "about:blank"


def test_shift_pressed_between_other_keys_does_not_exit(exit_page, site):
    _start_from_a_blank_tab(exit_page, site, "/report/")
    for key in ("Shift", "Shift", "a", "Shift"):
        exit_page.keyboard.press(key)
    exit_page.wait_for_timeout(300)
    assert exit_page.url == site + "/report/"


def test_without_javascript_the_exit_is_a_plain_link(browser, site, settings):
    settings.QUICK_EXIT_URL = NEUTRAL
    context = browser.new_context(java_script_enabled=False)
    context.route(NEUTRAL + "**", lambda route: route.fulfill(content_type="text/html", body="<h1>Weather</h1>"))
    page = context.new_page()
    page.goto(site + "/advice/")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(NEUTRAL)
    context.close()
