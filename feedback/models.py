"""Messages people send through the contact form, kept for admins to read in the Django admin."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

MESSAGE_MAX_CHARACTERS = 5000
PAGE_MAX_CHARACTERS = 500


class Topic(models.TextChoices):
    FIGURE = "figure", "A problem with a figure or a source"
    ACCESSIBILITY = "accessibility", "An accessibility problem, or information in another format"
    OTHER = "other", "Something else"


class ContactMessage(models.Model):
    received_at = models.DateTimeField(auto_now_add=True)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    message = models.TextField()
    reply_email = models.EmailField(blank=True, help_text="Given only if the sender wants a reply.")
    page = models.CharField(
        max_length=PAGE_MAX_CHARACTERS, blank=True, help_text="The page on this site the message is about."
    )

    class Meta:
        verbose_name = "message"
        ordering = ["-received_at"]
        constraints = [
            # The form checks these too; the database keeps them true whatever writes the row.
            models.CheckConstraint(name="a_message_has_a_known_topic", condition=Q(topic__in=Topic.values)),
            models.CheckConstraint(
                name="a_message_is_not_empty_and_at_most_5000_characters",
                condition=Q(
                    GreaterThanOrEqual(Length("message"), 1),
                    LessThanOrEqual(Length("message"), MESSAGE_MAX_CHARACTERS),
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}, received {self.received_at:%d %b %Y %H:%M}"
