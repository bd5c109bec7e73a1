"""What a figure is about: where (Geography), which crime (Offence), what is counted
(Measure) and, for platform shares, on which app (Platform)."""

from django.db import models
from django.db.models import Q


class Geography(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", "Country"
        NATION = "nation", "Nation"
        REGION = "region", "Region"
        POLICE_FORCE_AREA = "police_force_area", "Police force area"

    code = models.CharField("ONS/GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    home_office_force_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="The force name used in the Home Office's open data tables.",
    )

    class Meta:
        verbose_name_plural = "geographies"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(name="geography_code_is_a_gss_code", condition=Q(code__regex=r"^[EKNSW][0-9]{8}$")),
            models.CheckConstraint(
                name="only_the_top_geography_has_no_parent",
                condition=Q(parent__isnull=False) | Q(level="country"),
            ),
            models.CheckConstraint(
                name="only_police_force_areas_have_a_home_office_name",
                condition=Q(level="police_force_area") | Q(home_office_force_name=""),
            ),
            models.UniqueConstraint(
                name="home_office_force_names_are_unique",
                fields=["home_office_force_name"],
                condition=~Q(home_office_force_name=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Offence(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(help_text="Plain English: what this offence covers.")
    legal_basis = models.TextField(help_text="The law or classification that defines it.")
    in_force = models.DateField(null=True, blank=True, help_text="When the offence began.")
    home_office_code = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# The measure most pages start from; named once so that a typo cannot hide a series.
OFFENCES_RECORDED = "offences-recorded"


class Measure(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENT = "percent", "Percent"
        YEARS = "years", "Years"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    description = models.TextField()
    per_platform = models.BooleanField(
        default=False, help_text="Figures of this measure name a platform; others never do."
    )
    denominator = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="denominator_of",
        help_text="For a percentage: the count it is a share of, shown beside it.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # Target of Figure's (measure, unit) foreign key, which keeps each
            # figure's unit equal to its measure's (see migration 0002).
            models.UniqueConstraint(name="measure_id_and_unit_are_unique", fields=["id", "unit"]),
            models.CheckConstraint(
                name="only_percentages_have_a_denominator",
                condition=Q(denominator__isnull=True) | Q(unit="percent"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_grouping = models.BooleanField(
        default=False,
        help_text="A group of apps as the source reported it, e.g. Meta-owned apps.",
    )
    description = models.TextField(blank=True)
    safety_url = models.URLField(
        "safety centre", max_length=500, blank=True, help_text="The platform's own safety advice for families."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
