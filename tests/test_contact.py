"""/contact/: a working form that stores messages for admins, sets no cookies and never breaks."""

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import ContactMessage
from tests.pages import PUBLIC_PAGES, text_of

URL = "/contact/"


def _valid(**changes) -> dict[str, str]:
    data = {
        "topic": "figure",
        "message": "The 2023/24 figure for Cheshire looks too low.",
        "reply_email": "reader@example.com",
        "page": "/areas/E23000014/",
        "website": "",
    }
    data.update(changes)
    return data


def test_it_shows_the_form_and_says_it_is_not_for_reporting_a_child(db, client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form class="contact-form" method="post" action="/contact/"' in html
    for name in ("topic", "message", "reply_email", "page"):
        assert f'name="{name}"' in html
    assert "This form is not for reporting a crime or a worry about a child" in text_of(html)
    assert 'href="/report/"' in html and 'href="tel:999"' in html


def test_a_valid_message_is_stored_once_and_redirects_with_303(db, client):
    response = client.post(URL, _valid())
    assert response.status_code == 303
    assert response["Location"] == "/contact/?sent=1"
    message = ContactMessage.objects.get()
    assert (message.topic, message.message, message.reply_email, message.page) == (
        "figure",
        "The 2023/24 figure for Cheshire looks too low.",
        "reader@example.com",
        "/areas/E23000014/",
    )


def test_the_thank_you_page_points_urgent_worries_to_999_and_the_report_page(db, client):
    text = text_of(client.get(URL + "?sent=1").content.decode())
    assert "Thank you for your message" in text
    assert "call 999" in text and "CEOP" in text
    assert 'href="/report/"' in client.get(URL + "?sent=1").content.decode()
    assert 'name="message"' not in client.get(URL + "?sent=1").content.decode()


def test_email_and_page_are_optional(db, client):
    response = client.post(URL, _valid(reply_email="", page=""))
    assert response.status_code == 303
    assert ContactMessage.objects.get().reply_email == ""


def test_a_line_break_counts_as_one_character(db, client):
    response = client.post(URL, _valid(message="a\r\n" * 2500))  # 5,000 characters as typed
    assert response.status_code == 303
    assert len(ContactMessage.objects.get().message) == 4999  # the final line break is trimmed


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"message": ""}, "Enter your message"),
        ({"message": "   "}, "Enter your message"),
        ({"message": "x" * 5001}, "Your message must be 5,000 characters or fewer. It has 5,001."),
        ({"topic": ""}, "Select what your message is about"),
        ({"topic": "complaint"}, "Select what your message is about"),
        ({"reply_email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"page": "https://evil.example/"}, "Enter the address of a page on this site, like /areas/E23000014/"),
        ({"website": "http://spam.example/"}, "Leave this field empty"),
    ],
)
def test_invalid_input_stores_nothing_and_says_what_to_fix(db, client, changes, error):
    response = client.post(URL, _valid(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert error in text_of(summary)  # in the summary at the top, linking to the field
    assert f"Error: {error}" in text_of(html)  # and beside the field itself
    assert "<title>Error: Contact us" in html


def test_the_error_summary_links_to_the_field(db, client):
    html = client.post(URL, _valid(message="")).content.decode()
    assert '<a href="#id_message">Enter your message</a>' in html
    assert 'id="id_message"' in html


def test_what_was_typed_is_kept_when_the_form_is_shown_again(db, client):
    html = client.post(URL, _valid(reply_email="oops", message="Keep <this> text")).content.decode()
    assert "Keep &lt;this&gt; text" in html
    assert 'value="oops"' in html


@pytest.mark.parametrize("field", ["topic", "message", "reply_email", "page", "website"])
def test_a_null_character_in_any_field_gives_an_error_never_a_500(db, client, field):
    response = client.post(URL, _valid(**{field: "before\x00after"}))
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0
    assert 'class="error-summary"' in response.content.decode()


def test_a_null_character_in_the_from_address_is_ignored(db, client):
    response = client.get(URL, {"from": "/areas/\x00/"})
    assert response.status_code == 200
    assert 'name="page" id="id_page" value=""' in response.content.decode()


@pytest.mark.parametrize(
    ("given", "prefilled"),
    [
        ("/areas/E23000014/", "/areas/E23000014/"),
        ("/trends/?geography=E23000014&show=rate", "/trends/?geography=E23000014&amp;show=rate"),
        ("https://evil.example/", ""),
        ("//evil.example", ""),
        ("/\\evil.example", ""),
        ("javascript:alert(1)", ""),
        ("/" + "a" * 600, ""),
    ],
)
def test_the_page_is_prefilled_only_from_a_path_on_this_site(db, client, given, prefilled):
    html = client.get(URL, {"from": given}).content.decode()
    assert f'name="page" id="id_page" value="{prefilled}"' in html


def test_a_full_address_on_this_site_is_stored_as_its_path(db, client):
    response = client.post(URL, _valid(page="http://testserver/areas/E23000014/"))
    assert response.status_code == 303
    assert ContactMessage.objects.get().page == "/areas/E23000014/"


def test_an_accessibility_link_can_choose_the_topic(db, client):
    html = client.get(URL, {"topic": "accessibility"}).content.decode()
    assert 'value="accessibility" checked' in html


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(db, client, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "POST"]


def test_head_is_allowed(db, client):
    assert client.head(URL).status_code == 200


def test_no_cookie_is_set_on_get_or_post(db):
    # A cookie would be a trace of the visit on a shared device; a CSRF token would need one.
    client = Client(enforce_csrf_checks=True)
    for response in (client.get(URL), client.post(URL, _valid()), client.post(URL, _valid(message=""))):
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
    assert ContactMessage.objects.count() == 1  # the post was accepted without a CSRF token


def test_the_email_address_is_shown_only_when_set(db, client, settings):
    settings.CONTACT_EMAIL = ""
    assert "mailto:" not in client.get(URL).content.decode()
    settings.CONTACT_EMAIL = "help@dashboard.example"
    assert 'href="mailto:help@dashboard.example"' in client.get(URL).content.decode()


@pytest.mark.parametrize("page", [*PUBLIC_PAGES, URL])
def test_every_page_links_to_the_contact_form_in_its_footer(seeded, client, page):
    html = client.get(page).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    path = page.split("?", 1)[0]  # only the path: a query string is whatever the visitor typed
    expected = URL if path == URL else f"{URL}?from={path}"
    assert f'<a href="{expected}">Contact us or report a problem with this site</a>' in footer


def test_staff_can_read_messages_but_not_add_or_change_them(db, client, make_staff):
    message = ContactMessage.objects.create(topic="other", message="Hello")
    client.force_login(make_staff("view_contactmessage"))
    listing = client.get(reverse("admin:feedback_contactmessage_changelist"))
    assert listing.status_code == 200 and "Hello" in listing.content.decode()
    assert client.get(reverse("admin:feedback_contactmessage_add")).status_code == 403
    change_url = reverse("admin:feedback_contactmessage_change", args=[message.pk])
    client.post(change_url, {"topic": "figure", "message": "Changed"})
    message.refresh_from_db()
    assert message.message == "Hello"


def test_staff_without_permission_cannot_read_messages(db, client, make_staff):
    client.force_login(make_staff())
    assert client.get(reverse("admin:feedback_contactmessage_changelist")).status_code == 403
