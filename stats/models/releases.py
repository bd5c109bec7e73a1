"""Releases: every change to the published figures and population estimates, numbered.

A release is the only way data changes on this dashboard: the seed, an upload, an
admin's correction, or the withdrawal of an earlier release each make one, through
the publish service in stats/releases.py. Releases are numbered 1, 2, 3 with no gaps
(the number is given under the publishing lock), so "release 12" names one state of
the data for ever.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Release(models.Model):
    class Kind(models.TextChoices):
        SEED = "seed", "Data shipped with the dashboard"
        BASELINE = "baseline", "Data already here when numbered releases began"
        UPLOAD = "upload", "Upload"
        CORRECTION = "correction", "Correction"
        WITHDRAWAL = "withdrawal", "Withdrawal of an earlier release"

    number = models.PositiveIntegerField(primary_key=True)
    published_at = models.DateTimeField(help_text="When it went live on this dashboard.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    summary = models.CharField(max_length=300, help_text="One line, shown to the public.")
    reason = models.TextField(blank=True, help_text="Why a correction or withdrawal was made; shown to the public.")
    upload = models.OneToOneField(
        "stats.Upload", null=True, blank=True, on_delete=models.PROTECT, related_name="release"
    )
    withdraws = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="withdrawn_by"
    )
    seed_release = models.PositiveSmallIntegerField(
        null=True, blank=True, unique=True, help_text="The line of stats/seed/releases.csv this release published."
    )
    figures_added = models.PositiveIntegerField(default=0)
    figures_revised = models.PositiveIntegerField(default=0)
    figures_withdrawn = models.PositiveIntegerField(default=0)
    estimates_added = models.PositiveIntegerField(default=0)
    estimates_revised = models.PositiveIntegerField(default=0)
    estimates_withdrawn = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(name="releases_are_numbered_from_one", condition=Q(number__gte=1)),
            models.CheckConstraint(
                name="a_withdrawal_names_the_release_it_withdraws",
                condition=Q(kind="withdrawal", withdraws__isnull=False) | (~Q(kind="withdrawal") & Q(withdraws=None)),
            ),
            models.CheckConstraint(
                name="corrections_and_withdrawals_give_a_reason",
                condition=~Q(kind__in=["correction", "withdrawal"]) | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Release {self.number}: {self.summary}"

    @property
    def is_withdrawn(self) -> bool:
        return hasattr(self, "withdrawn_by")


class Change(models.Model):
    """One figure or estimate a release added, revised, withdrew or put back, with the value it replaced."""

    class Kind(models.TextChoices):
        NEW = "new", "New figure"
        RESTATED = "restated", "New value from a later source; the earlier one is kept as a revision"
        EARLIER = "earlier", "Older release than the current figure; kept as a revision"
        CORRECTED = "corrected", "Corrected value from the same source; the old value is withdrawn"
        WITHDRAWN = "withdrawn", "Withdrawn with the release that published it"
        RESTORED = "restored", "Put back by the withdrawal of the release that replaced it"

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    figure = models.ForeignKey("stats.Figure", null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    population = models.ForeignKey(
        "stats.Population", null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    previous = models.ForeignKey(
        "stats.Figure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The figure that was current before, or that a correction replaced.",
    )
    previous_population = models.ForeignKey(
        "stats.Population", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    old_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["release", "pk"]
        constraints = [
            models.CheckConstraint(
                name="a_change_is_to_a_figure_or_a_population_estimate",
                condition=Q(figure__isnull=False, population__isnull=True)
                | Q(figure__isnull=True, population__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old_value} → {self.new_value}"


class ReleaseFile(models.Model):
    """A bulk download of the figures exactly as they stood right after a release.

    Written once, just after the release commits (stats/release_files.py), and then served
    byte for byte for ever at /data/releases/<N>/figures.<format>: a name an admin edits
    later never changes a file a journalist has already cited.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(upload_to="releases/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    figures = models.PositiveIntegerField(help_text="How many figures (rows) the file holds.")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-release", "format"]
        constraints = [models.UniqueConstraint(name="one_file_per_release_and_format", fields=["release", "format"])]

    def __str__(self) -> str:
        return f"Release {self.release_id} figures ({self.format})"
