"""Uploads: every file an administrator sent, what it held and what it changed.

A failed or cancelled upload is kept too, so the history answers "who sent this
file, and what became of it?". What a published upload changed is its release's.
"""

from django.conf import settings
from django.db import models


class Upload(models.Model):
    class Format(models.TextChoices):
        TIDY = "tidy", "Our tidy template (one figure per row)"
        HOME_OFFICE = "home-office", "Home Office police recorded crime open data tables"
        POPULATION = "population", "Population estimates (one estimate per row)"

    class Status(models.TextChoices):
        REJECTED = "rejected", "Rejected: the file has errors"
        PREVIEWED = "previewed", "Checked: waiting to be published"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        WITHDRAWN = "withdrawn", "Published, then withdrawn"
        # Every figure in it was already published, perhaps by another upload published since its
        # preview: recorded so, never as "published" with no release.
        ALREADY_PUBLISHED = "already-published", "Not published: every figure in it was already published"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Empty when the file was refused for its size or type: such a file is never kept.
    file = models.FileField(upload_to="uploads/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    format = models.CharField(max_length=20, choices=Format.choices)
    # The publication the figures come from, as the administrator described it.
    source_publisher = models.CharField(max_length=200)
    source_title = models.CharField(max_length=300)
    source_published = models.CharField(max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD.")
    source_url = models.URLField(max_length=500, blank=True)
    source_coverage = models.TextField(blank=True)
    source = models.ForeignKey("stats.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="uploads")

    status = models.CharField(max_length=20, choices=Status.choices)
    rows_read = models.PositiveIntegerField(default=0)
    figures_new = models.PositiveIntegerField(default=0)
    figures_changed = models.PositiveIntegerField(default=0)
    figures_unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first errors found, as shown to the admin.")
    error_count = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, blank=True, help_text="Rows or figures left out, by reason.")
    warnings = models.JSONField(
        default=list, blank=True, help_text="What the admin confirmed before publishing: unused columns, big jumps."
    )
    notes = models.JSONField(
        default=list,
        blank=True,
        help_text="What the file held that is worth knowing but needs no check, such as the Home Office's adjustments.",
    )
    preview = models.JSONField(default=list, blank=True, help_text="The new and changed figures, as previewed.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When it was published or cancelled.")

    class Meta:
        ordering = ["-uploaded_at"]
        permissions = [("upload_figures", "Can upload and publish figures")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%d %b %Y %H:%M})"
