"""The contact form: what the message is about, the message, an optional email address and page.

Error messages follow GOV.UK's pattern: say what went wrong and how to fix it, in the
words the page uses for the field.
"""

from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from feedback.models import MESSAGE_MAX_CHARACTERS, PAGE_MAX_CHARACTERS, ContactMessage, Topic

NULL_CHARACTER = "Remove the hidden character (a null character) that was pasted in, then send again"


def same_site_path(value: str) -> str:
    """The path (with any query) of a page on this site, or "" for anything else.

    Only a path that starts with a single "/" counts: "https://evil.example/" and the
    scheme-relative "//evil.example" name other sites, so they are never echoed back.
    """
    if not value or len(value) > PAGE_MAX_CHARACTERS or not value.startswith("/") or value.startswith("//"):
        return ""
    if "\\" in value or any(character.isspace() or not character.isprintable() for character in value):
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return ""
    return value


class MessageField(forms.CharField):
    """Counts a line break as one character, as the person typing sees it: browsers send it as two."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > MESSAGE_MAX_CHARACTERS:
            raise ValidationError(
                f"Your message must be {MESSAGE_MAX_CHARACTERS:,} characters or fewer. It has {len(value):,}."
            )


class ContactForm(forms.Form):
    # Radio buttons, as the template draws them: a ChoiceField's default <select> gives its
    # options no ids, so each button's id and its label's `for` came out as "None".
    topic = forms.ChoiceField(
        choices=Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what your message is about",
            "invalid_choice": "Select what your message is about",
        },
    )
    message = MessageField(
        error_messages={"required": "Enter your message", "null_characters_not_allowed": NULL_CHARACTER},
    )
    reply_email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
            "null_characters_not_allowed": NULL_CHARACTER,
        },
    )
    page = forms.CharField(
        required=False,
        max_length=PAGE_MAX_CHARACTERS,
        error_messages={
            "max_length": "The page address must be 500 characters or fewer",
            "null_characters_not_allowed": NULL_CHARACTER,
        },
    )
    # A honeypot: hidden from people by the stylesheet, but bots that fill every field fill it.
    website = forms.CharField(
        required=False,
        error_messages={"null_characters_not_allowed": "Leave this field empty"},
    )

    def __init__(self, *args, host: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_page(self) -> str:
        value = self.cleaned_data["page"]
        if not value:
            return ""
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        # A full address of a page on this site, pasted from the address bar, keeps only its path.
        if parts and parts.scheme in ("http", "https") and parts.netloc == self.host:
            value = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        path = same_site_path(value)
        if not path:
            raise ValidationError("Enter the address of a page on this site, like /areas/E23000014/")
        return path

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError("Leave this field empty")
        return ""

    def save(self) -> ContactMessage:
        return ContactMessage.objects.create(
            topic=self.cleaned_data["topic"],
            message=self.cleaned_data["message"],
            reply_email=self.cleaned_data["reply_email"],
            page=self.cleaned_data["page"],
        )
