"""Population estimates: the denominators of rates, with the same provenance as figures."""

from django.db import models
from django.db.models import Max, Min

from stats.age_bands import AGE_BANDS, DEFAULT_BAND
from stats.models.reference import Geography
from stats.models.releases import Release
from stats.models.revisions import RevisedQuerySet, Status, StatusSpan, status_span_constraints
from stats.models.sources import Source
from stats.rates import Denominators, Estimate
from stats.records import published_label

SOURCE_FIELDS = ("publisher", "title", "published", "published_precision")


class PopulationQuerySet(RevisedQuerySet):
    def denominators(self, band: str = DEFAULT_BAND) -> Denominators:
        """The current estimates of one age band, for rates: one query."""
        # Plain rows, not model instances: every page with a rate reads a few hundred of them.
        rows = (
            self.current()
            .filter(age_band=band)
            .values_list("geography__code", "year", "age_band", "value", *(f"source__{f}" for f in SOURCE_FIELDS))
        )
        estimates = [Estimate(code, year, age, value, _cited(*source)) for code, year, age, value, *source in rows]
        return Denominators(estimates, band)

    def years_held(self, area_codes: list[str], band: str = DEFAULT_BAND) -> dict[str, tuple[int, int]]:
        """For each of these areas, the first and last mid-year of its current estimates of one age band."""
        rows = (
            self.current()
            .filter(geography__code__in=area_codes, age_band=band)
            .order_by()
            .values_list("geography__code")
            .annotate(first=Min("year"), last=Max("year"))
        )
        return {code: (first, last) for code, first, last in rows}


def _cited(publisher: str, title: str, published, precision: str) -> str:
    """A population source as a download names it: the same words as `str(Source)`."""
    return f"{publisher}, {title} ({published_label(published, precision)})"


class Population(models.Model):
    class AgeBand(models.TextChoices):
        UNDER_16 = "0-15", AGE_BANDS["0-15"]
        UNDER_18 = "0-17", AGE_BANDS["0-17"]
        ALL_AGES = "all ages", AGE_BANDS["all ages"]

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="populations")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField(help_text="The mid-year estimate's year: 2024 for mid-2024 (30 June).")
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    value = models.PositiveIntegerField("population")
    note = models.TextField(blank=True)
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="populations", help_text="The release that published this row."
    )
    status = models.CharField(max_length=10, choices=Status.choices, help_text="Set only by the publish service.")

    objects = PopulationQuerySet.as_manager()

    class Meta:
        ordering = ["geography__code", "year", "age_band"]
        constraints = [
            models.UniqueConstraint(
                name="a_source_gives_one_estimate_per_area_year_and_band",
                fields=["source", "geography", "year", "age_band"],
                condition=~models.Q(status="withdrawn"),
            ),
            models.UniqueConstraint(
                name="an_area_year_and_band_has_one_current_estimate",
                fields=["geography", "year", "age_band"],
                condition=models.Q(status="current"),
            ),
            models.CheckConstraint(
                name="population_year_is_plausible", condition=models.Q(year__gte=1971, year__lte=2100)
            ),
        ]
        indexes = [
            # Rates: every current estimate of one age band, fetched once per page.
            models.Index(fields=["age_band", "year"], name="population_band_year"),
        ]

    def __str__(self) -> str:
        return f"{self.geography.name}, mid-{self.year}, {self.age_band}: {self.value:,}"

    @property
    def is_superseded(self) -> bool:
        return self.status == Status.REVISION


class PopulationStatusSpan(StatusSpan):
    population = models.ForeignKey(Population, on_delete=models.PROTECT, related_name="status_spans")

    class Meta:
        constraints = status_span_constraints("population", "population")
        indexes = [models.Index(fields=["from_release", "until_release"], name="population_span_releases")]
