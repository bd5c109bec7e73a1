"""Who published a figure, when (only as precisely as known) and what it covers."""

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Q

from stats.records import published_as_written, published_label


class SourceQuerySet(models.QuerySet):
    def shown(self) -> "SourceQuerySet":
        """Sources of something on the dashboard, newest first: a source all of whose figures and
        estimates were withdrawn is history, not a source of anything shown. Each is checked with
        an indexed EXISTS, so listing sources never reads their figures."""
        from stats.models.figures import Figure
        from stats.models.population import Population
        from stats.models.revisions import LIVE

        on_dashboard = [
            Exists(model.objects.filter(source=OuterRef("pk"), status__in=LIVE)) for model in (Figure, Population)
        ]
        return self.filter(on_dashboard[0] | on_dashboard[1]).order_by("-published", "publisher", "pk")


class Source(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    published = models.DateField(help_text="Stored as the first day of the month or year when only those are known.")
    published_precision = models.CharField(max_length=5, choices=Precision.choices)
    url = models.URLField("address", max_length=500, blank=True)
    coverage = models.TextField(blank=True, help_text="e.g. 44 UK forces, all but Lincolnshire.")

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "publisher"]
        constraints = [
            models.UniqueConstraint(name="a_publication_is_one_source", fields=["publisher", "title", "published"]),
            # A month-precise date is stored as the 1st, a year-precise one as 1 January:
            # a day we do not know is never invented.
            models.CheckConstraint(
                name="month_precision_dates_fall_on_the_first",
                condition=~Q(published_precision="month") | Q(published__day=1),
            ),
            models.CheckConstraint(
                name="year_precision_dates_fall_on_new_year",
                condition=~Q(published_precision="year") | Q(published__day=1, published__month=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}, {self.title} ({self.published_label})"

    @property
    def published_label(self) -> str:
        return published_label(self.published, self.published_precision)

    @property
    def published_as_written(self) -> str:
        """'2025', '2025-07' or '2025-07-24': the date as an admin or a seed file gives it."""
        return published_as_written(self.published, self.published_precision)


def parse_published(text: str) -> tuple[dt.date, str]:
    """Read 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' and keep the precision it was given with."""
    parts = text.strip().split("-")
    if len(parts) not in (1, 2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    if len(parts[0]) != 4:
        raise ValueError(f"'{text}' does not start with a four-digit year")
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    precision = {1: Source.Precision.YEAR, 2: Source.Precision.MONTH, 3: Source.Precision.DAY}
    return dt.date(*numbers), precision[len(parts)]
