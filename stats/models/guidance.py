"""What to do about it: key dates that annotate charts and where to report."""

from django.db import models
from django.db.models import Q


class KeyDate(models.Model):
    date = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(name="a_key_date_is_listed_once", fields=["date", "title"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.title}"


class ReportingRoute(models.Model):
    key = models.SlugField(
        max_length=60, unique=True, help_text="A fixed name for links to this route; keep it when renaming."
    )
    name = models.CharField(max_length=200, unique=True)
    who_for = models.CharField("who it is for", max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField("web address", max_length=500, blank=True)
    anonymous = models.BooleanField("you can stay anonymous", default=False)
    when_to_use = models.TextField()
    note = models.TextField(blank=True)
    for_young_people = models.BooleanField(
        "show on the under-18 path", default=False, help_text="Listed for children and young people seeking help."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Most urgent first: 999 comes before everything else."
    )
    last_checked = models.DateField(
        null=True, blank=True, help_text="When someone last checked the number and address."
    )

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                name="a_route_has_a_phone_number_or_a_web_address",
                condition=~Q(phone="") | ~Q(url=""),
                violation_error_message="Give a phone number, a web address or both.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tel_href(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit()) if self.phone else ""
