"""The contact form over its limit, as a sender sees it: what they typed is still there, the
page says when to send it, and it passes the accessibility checks."""

import pytest

from feedback.models import ContactMessage
from feedback.views import MESSAGES_PER_ADDRESS
from tests.browser.conftest import axe_violations, screenshot

TYPED = "The map shows no figure for Cumbria.\nIs that right?"


@pytest.mark.usefixtures("site_to_change")
def test_over_the_limit_the_message_stays_in_the_form_and_the_page_passes_the_checks(page, site):
    for n in range(MESSAGES_PER_ADDRESS.limit):
        sent = page.request.post(site + "/contact/", form={"topic": "other", "message": f"Message {n}"})
        assert sent.ok  # followed to the thank-you page
    page.goto(site + "/contact/")
    message = page.get_by_role("textbox", name="Your message")
    page.get_by_label("Something else").check()
    message.fill(TYPED)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send message").click()
    assert navigation.value.status == 429
    alert = page.get_by_role("alert")
    assert alert.get_by_role("heading", name="Your message has not been sent yet").is_visible()
    assert message.input_value() == TYPED
    assert page.get_by_label("Something else").is_checked()
    assert page.get_by_role("link", name="999").first.is_visible()
    alert.get_by_role("link", name="Your message").click()
    assert message.evaluate("field => field === document.activeElement")
    assert axe_violations(page) == []
    assert ContactMessage.objects.count() == MESSAGES_PER_ADDRESS.limit
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "contact-360-not-sent-yet")
