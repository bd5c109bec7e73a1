"""Councils and the police force areas that cover them: parents know their town, not their force."""

from django.db import models

from stats.models.reference import Geography


class LocalAuthority(models.Model):
    code = models.CharField("ONS/GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    police_force_area = models.ForeignKey(
        Geography,
        on_delete=models.PROTECT,
        related_name="local_authorities",
        limit_choices_to={"level": Geography.Level.POLICE_FORCE_AREA},
    )
    other_names = models.CharField(
        max_length=300,
        blank=True,
        help_text="Older district or community safety partnership names people still use, separated by semicolons.",
    )

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PlaceName(models.Model):
    """A town, village, suburb, parish, Welsh community, Scottish place, Northern Ireland council
    or ward, or council, and the police force area it is in (stats/seed/places/places.csv)."""

    name = models.CharField(max_length=100)
    # The name as the search compares it (stats.place_search.normal_form): exact matches are
    # found through this index without reading the other 24,000 names.
    normal = models.CharField(max_length=100, db_index=True)
    kind = models.CharField(max_length=100, help_text="What sort of place: built-up area (2011), parish (2019)...")
    council = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    # 'whole', 'main part' or 'part' of its council for a built-up area; how the name was matched otherwise.
    extent = models.CharField(max_length=40, blank=True)
    police_force_area = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.council or self.police_force_area_id})"


class PostcodeShare(models.Model):
    """How much of a postcode district ('SY10') or sector ('SY10 7') one police force area covers,
    counted in live postcodes (OS Code-Point Open): one row per unit and force."""

    unit = models.CharField(max_length=8)
    police_force_area = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="+")
    postcodes = models.PositiveIntegerField()
    share = models.DecimalField(max_digits=4, decimal_places=1, help_text="Per cent of the unit's postcodes.")
    council = models.CharField(max_length=100, blank=True, help_text="The one council of this part, if only one.")

    class Meta:
        indexes = [models.Index(fields=["unit"], name="postcode_share_by_unit")]  # every postcode search
        constraints = [
            models.UniqueConstraint(name="a_unit_lists_each_force_once", fields=["unit", "police_force_area"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.share}% {self.police_force_area_id}"


class Postcode(models.Model):
    """A full postcode in a sector that crosses a force boundary, so that it is answered exactly;
    everywhere else the sector decides."""

    code = models.CharField(max_length=8, unique=True)  # 'SY10 7AB', as Code-Point Open writes it
    police_force_area = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="+")
    council_code = models.CharField(max_length=9, blank=True)

    def __str__(self) -> str:
        return self.code


class ReferenceData(models.Model):
    """Which version of a large reference file is loaded, so the seed reloads it only when it changed."""

    name = models.CharField(max_length=60, unique=True)
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"
