"""Messages from the contact form: a read-only list for staff with permission to view them."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import Truncator

from feedback.models import ContactMessage


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "topic", "opening", "page", "reply_email"]
    list_filter = ["topic", "received_at"]
    search_fields = ["message", "page", "reply_email"]
    date_hierarchy = "received_at"
    fields = ["received_at", "topic", "message", "reply_email", "page"]
    readonly_fields = fields

    @admin.display(description="message")
    def opening(self, message: ContactMessage) -> str:
        return Truncator(message.message).chars(80)

    # Only the public writes messages, and what they wrote is kept as they wrote it.
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    # Deleting stays with whoever holds the delete permission (superusers), so a message
    # holding someone's email address can be removed once it has been dealt with.
