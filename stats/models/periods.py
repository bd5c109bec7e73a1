"""Periods with an explicit kind, so calendar and financial years never share an axis."""

import datetime as dt

from django.db import models
from django.db.models import F, Q

from stats import spans


class Period(models.Model):
    class Kind(models.TextChoices):
        FINANCIAL_YEAR = spans.FINANCIAL_YEAR, spans.KIND_NAMES[spans.FINANCIAL_YEAR]
        CALENDAR_YEAR = spans.CALENDAR_YEAR, spans.KIND_NAMES[spans.CALENDAR_YEAR]
        OTHER = spans.OTHER, spans.KIND_NAMES[spans.OTHER]

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
