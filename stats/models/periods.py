"""Periods with an explicit kind, so calendar and financial years never share an axis."""

import datetime as dt

from django.db import models
from django.db.models import F, Q


class Period(models.Model):
    class Kind(models.TextChoices):
        FINANCIAL_YEAR = "financial_year", "Financial year (April to March)"
        CALENDAR_YEAR = "calendar_year", "Calendar year (January to December)"
        OTHER = "other", "Other span"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.DateField(help_text="First day covered.")
    end = models.DateField(help_text="Last day covered.")
    label = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["start", "end"]
        constraints = [
            models.UniqueConstraint(name="a_span_is_one_period", fields=["start", "end"]),
            models.CheckConstraint(name="period_ends_after_it_starts", condition=Q(end__gte=F("start"))),
            models.CheckConstraint(
                name="financial_year_runs_april_to_march",
                condition=~Q(kind="financial_year")
                | Q(
                    start__month=4,
                    start__day=1,
                    end__month=3,
                    end__day=31,
                    end__year=F("start__year") + 1,
                ),
            ),
            models.CheckConstraint(
                name="calendar_year_runs_january_to_december",
                condition=~Q(kind="calendar_year")
                | Q(
                    start__month=1,
                    start__day=1,
                    end__month=12,
                    end__day=31,
                    end__year=F("start__year"),
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def midpoint(self) -> dt.date:
        return self.start + (self.end - self.start) / 2


def kind_of_span(start: dt.date, end: dt.date) -> str:
    """Classify a span by its dates: the dates decide, never the label."""
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return Period.Kind.FINANCIAL_YEAR
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and end.year == start.year:
        return Period.Kind.CALENDAR_YEAR
    return Period.Kind.OTHER


def standard_label(start: dt.date, end: dt.date) -> str | None:
    """The conventional label of a financial ("2017/18") or calendar ("2017") year."""
    kind = kind_of_span(start, end)
    if kind == Period.Kind.FINANCIAL_YEAR:
        return f"{start.year}/{end.year % 100:02d}"
    if kind == Period.Kind.CALENDAR_YEAR:
        return str(start.year)
    return None
