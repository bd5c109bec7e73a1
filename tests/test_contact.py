"""/contact/: a working form that stores messages for admins, sets no cookies and never breaks."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from feedback.models import ContactMessage, Topic
from feedback.views import MESSAGES_PER_ADDRESS
from tests.pages import PUBLIC_PAGES, text_of

URL = "/contact/"


def valid_message(**changes) -> dict[str, str]:
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


def test_each_topic_button_has_its_own_id_and_its_label_names_it(db, client):
    html = client.get(URL).content.decode()
    buttons = re.findall(r'<input type="radio" name="topic" id="([^"]+)"', html)
    labels = re.findall(r'<label for="(id_topic_[^"]+)"', html)
    assert len(buttons) == len(Topic.choices) and len(set(buttons)) == len(buttons)
    assert labels == buttons == [f"id_topic_{n}" for n in range(len(Topic.choices))]
    # The error summary's link goes to the first button.
    errors = client.post(URL, valid_message(topic="")).content.decode()
    assert '<a href="#id_topic_0">Select what your message is about</a>' in errors


def test_a_valid_message_is_stored_once_and_redirects_with_303(db, client):
    response = client.post(URL, valid_message())
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
    response = client.post(URL, valid_message(reply_email="", page=""))
    assert response.status_code == 303
    assert ContactMessage.objects.get().reply_email == ""


def test_a_line_break_counts_as_one_character(db, client):
    response = client.post(URL, valid_message(message="a\r\n" * 2500))  # 5,000 characters as typed
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
    response = client.post(URL, valid_message(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert error in text_of(summary)  # in the summary at the top, linking to the field
    assert f"Error: {error}" in text_of(html)  # and beside the field itself
    assert "<title>Error: Contact us" in html


def test_the_error_summary_links_to_the_field(db, client):
    html = client.post(URL, valid_message(message="")).content.decode()
    assert '<a href="#id_message">Enter your message</a>' in html
    assert 'id="id_message"' in html


def test_what_was_typed_is_kept_when_the_form_is_shown_again(db, client):
    html = client.post(URL, valid_message(reply_email="oops", message="Keep <this> text")).content.decode()
    assert "Keep &lt;this&gt; text" in html
    assert 'value="oops"' in html


@pytest.mark.parametrize("field", ["topic", "message", "reply_email", "page", "website"])
def test_a_null_character_in_any_field_gives_an_error_never_a_500(db, client, field):
    response = client.post(URL, valid_message(**{field: "before\x00after"}))
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
    response = client.post(URL, valid_message(page="http://testserver/areas/E23000014/"))
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
    for response in (client.get(URL), client.post(URL, valid_message()), client.post(URL, valid_message(message=""))):
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


# The limit on messages from one address (feedback/views.py, counted as the API's fair use is).
LIMIT = MESSAGES_PER_ADDRESS.limit


def _send_up_to_the_limit(client, **extra) -> None:
    for n in range(LIMIT):
        assert client.post(URL, valid_message(message=f"Message {n}"), **extra).status_code == 303


def test_over_the_limit_nothing_is_stored_and_the_sender_is_told_kindly(db, client):
    _send_up_to_the_limit(client)
    refused = client.post(URL, valid_message(message="Please <keep> this\r\nsecond line"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= MESSAGES_PER_ADDRESS.window
    assert ContactMessage.objects.count() == LIMIT
    assert not ContactMessage.objects.filter(message__startswith="Please").exists()
    html = refused.content.decode()
    text = text_of(html)
    assert "<title>Message not sent yet: Contact us" in html
    assert "Your message has not been sent yet" in text
    assert f"We take up to {LIMIT} messages an hour from each internet connection" in text
    minutes = -(-int(refused["Retry-After"]) // 60)
    wait = "an hour" if minutes == 60 else f"{minutes} minute"
    assert f"You can send it again in {wait}" in text
    # Everything they wrote is in the form again, ready to send.
    assert "Please &lt;keep&gt; this\r\nsecond line</textarea>" in html
    assert 'value="reader@example.com"' in html and 'value="/areas/E23000014/"' in html
    assert 'value="figure" checked' in html
    # A worried parent still sees where to get help at once.
    assert 'href="tel:999"' in html and "CEOP" in text and 'href="/report/"' in html
    assert not refused.cookies


def test_each_refused_message_is_refused_again_and_never_stored(db, client):
    _send_up_to_the_limit(client)
    assert [client.post(URL, valid_message()).status_code for _ in range(20)] == [429] * 20
    assert ContactMessage.objects.count() == LIMIT


def test_a_message_with_mistakes_is_not_counted(db, client):
    for _ in range(LIMIT * 2):
        assert client.post(URL, valid_message(message="")).status_code == 200
    _send_up_to_the_limit(client)
    assert ContactMessage.objects.count() == LIMIT


def test_over_the_limit_a_message_with_mistakes_still_gets_its_errors(db, client):
    _send_up_to_the_limit(client)
    response = client.post(URL, valid_message(reply_email="oops"))
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in text_of(response.content.decode())


def test_another_address_has_its_own_count(db, client):
    _send_up_to_the_limit(client)
    assert client.post(URL, valid_message()).status_code == 429
    assert client.post(URL, valid_message(), REMOTE_ADDR="192.0.2.7").status_code == 303


def test_behind_a_trusted_proxy_each_sender_is_counted_by_their_own_address(db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    statuses = {
        sender: [
            proxy.post(URL, valid_message(), HTTP_X_FORWARDED_FOR=f"{sender}, 127.0.0.1").status_code
            for _ in range(LIMIT + 1)
        ]
        for sender in ("203.0.113.5", "203.0.113.6")
    }
    expected = [303] * LIMIT + [429]
    assert statuses == {"203.0.113.5": expected, "203.0.113.6": expected}
    assert ContactMessage.objects.count() == 2 * LIMIT


def test_the_count_is_kept_in_redis_when_redis_is_the_cache(db, client, machine_redis):
    _send_up_to_the_limit(client)
    assert client.post(URL, valid_message()).status_code == 429
    redis = cache._cache.get_client()
    [key] = list(redis.scan_iter(f"{machine_redis}:*contact-form:*"))
    assert int(redis.get(key)) == LIMIT + 1


def test_with_the_cache_down_the_form_still_works(db, client, settings):
    # Redis configured but not answering (a port nothing listens on): nothing can be counted,
    # so nobody is refused; the honeypot and the size caps still apply.
    settings.CACHES = {
        "default": {
            "BACKEND": "dashboard.cache_backend.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.25},
        }
    }
    statuses = [client.post(URL, valid_message()).status_code for _ in range(LIMIT + 2)]
    assert statuses == [303] * (LIMIT + 2)
    assert ContactMessage.objects.count() == LIMIT + 2
