"""Figures: one published value, never a bare number.

A series is (geography, period, offence, measure, platform). Several sources may
publish a value for the same series, as when the NSPCC restated 2017/18; all are
kept, the latest publication is current and earlier ones are its revisions. A row
is never edited: a correction adds a row and withdraws the old one, so every past
release can be shown exactly as it was.
"""

from collections.abc import Callable, Iterator
from typing import NamedTuple

from django.db import connection, models
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Min, Q, Subquery, Value, Window
from django.db.models.functions import Round, RowNumber
from django.utils import timezone

from stats.models.periods import Period
from stats.models.reference import Geography, Measure, Offence, Platform
from stats.models.releases import Release
from stats.models.revisions import RevisedQuerySet, Status, StatusSpan, status_span_constraints
from stats.models.sources import Source
from stats.numbers import QUALIFIERS, format_value
from stats.prepared import PreparedQuery
from stats.rates import Denominators
from stats.records import FigureRecord, ForceCoverage, OutcomeGroup, Publication, Span

SERIES_FIELDS = ("geography", "period", "offence", "measure", "platform")
PUBLICATION_FIELDS = ("id", "publisher", "title", "published", "published_precision", "url")
RECORD_COLUMNS = (
    "id",
    "geography__code",
    "geography__name",
    "geography__level",
    "period__label",
    "period__kind",
    "period__start",
    "period__end",
    "offence__slug",
    "offence__name",
    "offence__in_force",
    "measure__slug",
    "measure__name",
    "measure__denominator__slug",
    "unit",
    "platform__slug",
    "platform__name",
    "platform__is_grouping",
    "platform__description",
    "value",
    "qualifier",
    "coverage",
    "note",
    "status",
    *(f"source__{name}" for name in PUBLICATION_FIELDS),
    "release__number",
    "release__published_at",
)
# A stable order for lists and bulk downloads: by period, then area, offence, measure, platform.
RECORD_ORDER = (
    "period__start",
    "period__end",
    "geography__code",
    "offence__slug",
    "measure__slug",
    "platform__slug",
    "pk",
)


class FigureQuerySet(RevisedQuerySet):
    def with_provenance(self) -> "FigureQuerySet":
        """Everything a page or download shows beside the value, fetched in the same query."""
        return self.select_related("geography", "period", "offence", "measure", "platform", "source", "release")

    def for_display(self) -> "FigureQuerySet":
        """Every published figure (current or kept as a revision) with its provenance, for a page or download."""
        return self.published().with_provenance().order_by("period__start", "period__end", "pk")

    def series_of(self, *, areas: list[str], offence: str, measure: str) -> "FigureQuerySet":
        """One offence and measure (not per platform) for the given areas (ONS codes): a trend chart's data."""
        return self.for_display().filter(
            geography__code__in=areas, offence__slug=offence, measure__slug=measure, platform__isnull=True
        )

    def counterpart_in(self, area_codes: list[str], figure: FigureRecord) -> "FigureQuerySet":
        """The current figures of the same offence, measure and period as `figure`, in other areas:
        what an area's latest figure is compared with."""
        return (
            self.current()
            .with_provenance()
            .filter(
                geography__code__in=area_codes,
                offence__slug=figure.offence_slug,
                measure__slug=figure.measure_slug,
                platform__isnull=True,
                period__start=figure.period.start,
                period__end=figure.period.end,
            )
        )

    def in_areas(self, areas: list[str]) -> "FigureQuerySet":
        """Only these areas' figures (ONS codes). Worth adding to figures chosen by several OR-ed
        conditions: it lets PostgreSQL read them through the series index, not the whole table."""
        return self.filter(geography__code__in=areas)

    def current_series(self, series: list[tuple[str, str, str, str]]) -> "FigureQuerySet":
        """The current figures of each (area code, offence, measure, period kind): headline numbers."""
        chosen = Q(pk__in=[])
        for code, offence, measure, kind in series:
            chosen |= Q(geography__code=code, offence__slug=offence, measure__slug=measure, period__kind=kind)
        return self.current().with_provenance().filter(chosen, platform__isnull=True).order_by("period__start", "pk")

    def latest_national_shares(self, offence: str | None = None) -> "FigureQuerySet":
        """The current national platform shares of the latest period with a share of one platform
        (not a group of them), with the counts they are shares of: the platform headline's data,
        however many years are published."""
        national = self.current().filter(geography__level="country")
        if offence is not None:
            national = national.filter(offence__slug=offence)
        shares = national.filter(measure__per_platform=True, platform__is_grouping=False)
        latest = shares.order_by("-period__start").values("period__start")[:1]
        return (
            national.with_provenance()
            .filter(period__start=Subquery(latest))
            .filter(
                Q(measure__per_platform=True) | Q(measure__in=Measure.objects.filter(denominator_of__per_platform=True))
            )
            .order_by("period__start", "pk")
        )

    def offences_of(self, areas: list[Geography], *, measure: str) -> list[tuple[str, str]]:
        """(slug, name) of every offence with published figures of this measure for these areas,
        the one with the latest figure first: the offences an area page offers, found without
        reading their figures (through the index that starts with the area)."""
        rows = (
            self.published()
            .filter(geography__in=areas, measure__slug=measure)
            .values_list("offence__slug", "offence__name")
            .annotate(latest=Max("period__end"))
            .order_by("-latest", "offence__name")
        )
        return [(slug, name) for slug, name, _ in rows]

    def comparison_periods(self, forces: list[Geography], *, measure: str, offences: list[str]) -> dict[str, int]:
        """For each offence, the single year (a period's id) that most of these police force areas
        have a current figure for, the latest of equals, where at least two have one: what a
        comparison shows, chosen by counting in SQL rather than reading every year."""
        rows = (
            self.current()
            .filter(geography__in=forces, measure__slug=measure, offence__slug__in=offences)
            .exclude(period__kind="other")
            .order_by()
            .values_list("offence__slug", "period", "period__start")
            .annotate(forces=Count("pk"))
        )
        candidates: dict[str, list[tuple]] = {}
        for offence, period, start, forces in rows:
            if forces >= 2:
                candidates.setdefault(offence, []).append((forces, start, period))
        return {offence: max(found)[2] for offence, found in candidates.items()}

    def compared(self, forces: list[Geography], *, measure: str, periods: dict[str, int]) -> "FigureQuerySet":
        """The current figures of these police force areas for each offence in the period chosen
        for it ({offence slug: period id}): a comparison's bars."""
        chosen = Q(pk__in=[])
        for offence, period in periods.items():
            chosen |= Q(offence__slug=offence, period=period)
        return (
            self.current()
            .with_provenance()
            .filter(chosen, geography__in=forces, measure__slug=measure)
            .order_by("period__start", "period__end", "pk")
        )

    def force_counts(self) -> "FigureQuerySet":
        """Every current single-year count for a police force area: what maps are drawn from."""
        return (
            self.current()
            .with_provenance()
            .filter(geography__level="police_force_area", measure__unit="count", platform__isnull=True)
            .exclude(period__kind="other")
            .order_by("period__start", "pk")
        )

    def force_counts_of(self, *, offence: str, measure: str, period: str) -> "FigureQuerySet":
        """One map's figures: at most one per police force area, whatever else is published.
        The three are matched by id, found by subqueries, so that PostgreSQL reads the figures
        through the indexes of all three at once (matched by their joined names, it read every
        current figure of the measure: 2.6 ms at 100 times today's figures, now 0.7 ms)."""
        return self.force_counts().filter(
            offence=Subquery(Offence.objects.filter(slug=offence).values("pk")),
            measure=Subquery(Measure.objects.filter(slug=measure).values("pk")),
            period=Subquery(Period.objects.filter(label=period).values("pk")),
        )

    def force_coverage(self, rates: Denominators) -> list[ForceCoverage]:
        """For each offence, measure and single year that forces have counts for: how many forces
        have one, and how many of those a rate. Counted in SQL, so choosing a map's period never
        reads the figures of the periods it does not show.

        Every condition is written as ids: joining the areas, measures and periods to each current
        figure took three quarters of the time (20 ms at 100 times today's figures, 7 ms without).
        So four small queries of the reference tables come first, then the count, which reads the
        current figures through the `figure_status` index."""
        spans = {p.pk: Span(p.label, p.kind, p.start, p.end) for p in Period.objects.exclude(kind="other")}
        forces = dict(Geography.objects.filter(level=Geography.Level.POLICE_FORCE_AREA).values_list("code", "pk"))
        offences = dict(Offence.objects.values_list("pk", "slug"))
        counts = dict(Measure.objects.filter(unit=Measure.Unit.COUNT).values_list("pk", "slug"))
        rated = Q()
        for period, span in spans.items():
            areas = [forces[code] for code in sorted(rates.areas_with_rate(span)) if code in forces]
            if areas:
                rated |= Q(period=period, geography__in=areas)
        with_rate = Count("pk", filter=rated) if rated else Value(0)
        rows = (
            self.current()
            .filter(geography__in=forces.values(), measure__in=counts, period__in=spans, platform__isnull=True)
            .order_by()
            .values_list("offence", "measure", "period")
            .annotate(forces=Count("pk"), forces_with_rate=with_rate)
        )
        return [
            ForceCoverage(offences[offence], counts[measure], spans[period], forces, forces_with_rate)
            for offence, measure, period, forces, forces_with_rate in rows
        ]

    def platform_shares(self) -> "FigureQuerySet":
        """Platform shares with the counts they are shares of (offences where a platform was recorded)."""
        return self.for_display().filter(
            Q(measure__per_platform=True) | Q(measure__in=Measure.objects.filter(denominator_of__per_platform=True))
        )

    def platform_share_cases(self) -> list["PlatformCase"]:
        """Each area and period with current platform shares, the latest first: what /platforms/
        offers to chart. Found by grouping in SQL, without reading a share. Where two offences
        have shares for the same area and period, the one published last is the one offered."""
        rows = (
            self.current_platform_shares()
            .filter(platform__isnull=False)
            .order_by()
            .values_list("geography__code", "geography__name", "period__label", "offence__slug")
            .annotate(start=Min("period__start"), end=Min("period__end"), first=Min("pk"))
        )
        ordered = sorted(sorted(rows, key=lambda row: (row[5], row[6])), key=lambda row: (row[4], row[0]), reverse=True)
        cases: dict[str, PlatformCase] = {}
        for code, name, label, offence, *_ in ordered:
            case = PlatformCase(code, name, label, offence)
            cases[case.key] = case  # a later offence's shares replace an earlier's, in the first one's place
        return list(cases.values())

    def platform_shares_of(self, case: "PlatformCase") -> "FigureQuerySet":
        """The current shares of one area, period and offence, with the count they are shares of."""
        return (
            self.platform_shares()
            .current()
            .filter(geography__code=case.area_code, period__label=case.period_label, offence__slug=case.offence_slug)
        )

    def current_platform_shares(self) -> "FigureQuerySet":
        """The current platform shares and counts they are shares of, chosen by their measures' ids
        (found by a subquery), not by joining every current figure's measure."""
        measures = Measure.objects.filter(Q(per_platform=True) | Q(denominator_of__per_platform=True)).values("pk")
        return self.current().filter(measure__in=measures)

    def every_platform_share(self) -> "FigureQuerySet":
        """Every current platform share and count it is a share of, in the order they are tabled:
        by period, area, the largest value first, shares before counts. Ordered in SQL, so that a
        page can read the first rows alone (geography codes are ASCII: the order is Python's too)."""
        counts_last = ExpressionWrapper(Q(platform__isnull=True), output_field=BooleanField())
        return (
            self.current_platform_shares()
            .with_provenance()
            .annotate(is_count=counts_last)
            .order_by("period__start", "geography__code", "-value", "is_count", "period__end", "pk")
        )

    def first_platform_shares(self, count: int) -> "FigureQuerySet":
        """The first `count` of `every_platform_share`: their ids are chosen first, joining only the
        period and area they are ordered by, then just those rows are read with their provenance."""
        every = self.every_platform_share()
        return every.filter(pk__in=list(every.values_list("pk", flat=True)[:count]))

    def platform_share_counts(self) -> "ShareCounts":
        """How many current platform shares there are, from how many sources, and how many figures
        with their counts: said of every share on a page that lists only the first."""
        share = Q(platform__isnull=False)
        found = (
            self.current_platform_shares()
            .order_by()
            .aggregate(
                figures=Count("pk"),
                shares=Count("pk", filter=share),
                sources=Count("source", filter=share, distinct=True),
            )
        )
        return ShareCounts(**found)

    def outcomes(self, outcome: str, base: str, *, offence: str, period: str) -> "FigureQuerySet":
        """The current outcome figures of one offence and period (a label), with the base figures
        of the same areas, offence and period that they are set against."""
        chosen = self.current().filter(offence__slug=offence, period__label=period, platform__isnull=True)
        with_outcome = chosen.filter(measure__slug=outcome).values("geography")
        return (
            chosen.with_provenance()
            .filter(Q(measure__slug=outcome) | Q(measure__slug=base, geography__in=with_outcome))
            .order_by("geography__name", "pk")
        )

    def outcome_groups(self, outcome: str) -> list[OutcomeGroup]:
        """Each offence and period with current outcome figures, and how many areas have one: the
        most areas first, then the latest period, counted in SQL."""
        rows = (
            self.current()
            .filter(measure__slug=outcome, platform__isnull=True)
            .order_by()
            .values_list("offence__slug", "offence__name", "period__label")
            .annotate(areas=Count("geography", distinct=True), end=Max("period__end"))
            .order_by("-areas", "-end", "offence__name")
        )
        return [OutcomeGroup(slug, name, label, areas) for slug, name, label, areas, _ in rows]

    def from_source(self, source) -> "FigureQuerySet":
        """Every published figure of one source, in display order."""
        return self.for_display().filter(source=source)

    def first_of_each_source(self, sources: list[int], count: int) -> "FigureQuerySet":
        """The first `count` published figures recorded from each source: a preview that costs
        the same whether a source gave ten figures or ten thousand.

        Two queries. A LATERAL join reads just those rows of the `figure_source_preview` index
        for each source (Django cannot write one; a window function over the sources' figures
        read every one of them), and the records are then read by their ids: given the join as
        a subquery, PostgreSQL misjudged its size and joined the whole table to it."""
        # The only value written into the SQL rather than passed is our own table's name.
        first = (
            "SELECT first.id FROM unnest(%s::bigint[]) AS wanted(source_id) CROSS JOIN LATERAL"  # noqa: S608
            f" (SELECT id FROM {self.model._meta.db_table} WHERE source_id = wanted.source_id"
            " AND status <> %s ORDER BY id LIMIT %s) AS first"
        )
        if connection.vendor != "postgresql":
            # The development server's SQLite has neither arrays nor LATERAL: a window function,
            # which reads every figure of these sources, is fine at its size.
            ranked = (
                self.model.objects.filter(source__in=sources)
                .exclude(status=Status.WITHDRAWN)
                .annotate(rank=Window(RowNumber(), partition_by=F("source"), order_by=F("id").asc()))
                .filter(rank__lte=count)
            )
            return self.for_display().filter(pk__in=list(ranked.values_list("pk", flat=True)))
        with connection.cursor() as cursor:
            cursor.execute(first, [list(sources), Status.WITHDRAWN.value, count])
            ids = [row[0] for row in cursor.fetchall()]
        return self.for_display().filter(pk__in=ids)

    def current_after(self, release: int) -> "FigureQuerySet":
        """The figures that were current right after release N, as they stood then (dated downloads, the API)."""
        return self.as_of(release).filter(status_then=Status.CURRENT).with_provenance().order_by(*RECORD_ORDER)

    def records(self) -> list[FigureRecord]:
        """These figures as typed records, in one query that selects only what a record holds.
        A page's few hundred rows are read at once: a server-side cursor (`iter_records`) would
        cost three round trips, and PostgreSQL copying the result, for nothing."""
        return list(_as_records(self._record_rows()))

    def iter_records(self, chunk_size: int = 2000) -> Iterator[FigureRecord]:
        """The records one at a time, read from the database in chunks: a download of any size
        in constant memory. For `as_of(N)`, each record's status is its status right after N."""
        return _as_records(self._record_rows().iterator(chunk_size=chunk_size))

    def _record_rows(self):
        columns = RECORD_COLUMNS
        if "status_then" in self.query.annotations:
            columns = tuple("status_then" if column == "status" else column for column in RECORD_COLUMNS)
        return self.values_list(*columns)

    def of_series(self, figure: "Figure") -> "FigureQuerySet":
        return self.filter(**{f"{field}_id": getattr(figure, f"{field}_id") for field in SERIES_FIELDS})

    def held_by_area_and_period(self, *, measure: str) -> list[tuple[str, Span, str, str, int]]:
        """Which current figures of a measure (not per platform) we hold for each area and period:
        (area code, period, offence slug, offence name, figure id), one row per figure, in one query
        that reads no values: the /coverage/ grid's cells, whatever the number of figures."""
        rows = (
            self.current()
            .filter(measure=Subquery(Measure.objects.filter(slug=measure).values("pk")), platform__isnull=True)
            .order_by()
            .values_list(
                "geography__code",
                "period__label",
                "period__kind",
                "period__start",
                "period__end",
                "offence__slug",
                "offence__name",
                "pk",
            )
        )
        spans: dict[tuple, Span] = {}  # one Span per period, shared by its figures
        return [
            (code, spans.setdefault((label, kind, start, end), Span(label, kind, start, end)), slug, name, pk)
            for code, label, kind, start, end, slug, name, pk in rows
        ]


class PlatformCase(NamedTuple):
    """One area, period and offence with platform shares: a view /platforms/ offers."""

    area_code: str
    area_name: str
    period_label: str
    offence_slug: str

    @property
    def key(self) -> str:
        return f"{self.area_code}:{self.period_label}"


class ShareCounts(NamedTuple):
    figures: int  # shares and the counts they are shares of
    shares: int
    sources: int  # of the shares


class PreparedRecords(PreparedQuery):
    """The records of a figure query whose SQL never changes (`build()` returns it as a
    queryset), prepared once per database connection: see stats/prepared.py."""

    def __init__(self, build: Callable[[], FigureQuerySet]) -> None:
        super().__init__(lambda: build()._record_rows())

    def records(self) -> list[FigureRecord]:
        return list(_as_records(self.rows()))


def _as_records(rows) -> Iterator[FigureRecord]:
    """Rows of RECORD_COLUMNS as records, sharing one Span per period, one Publication per
    source and one local date per release (converting a time zone was a third of the work)."""
    spans: dict[tuple, Span] = {}
    publications: dict[int, Publication] = {}
    release_days: dict[object, object] = {}
    for row in rows:
        values = dict(zip(RECORD_COLUMNS, row, strict=True))
        span_key = tuple(values.pop(f"period__{name}") for name in ("label", "kind", "start", "end"))
        source_key = tuple(values.pop(f"source__{name}") for name in PUBLICATION_FIELDS)
        yield (
            FigureRecord(
                id=values["id"],
                area_code=values["geography__code"],
                area_name=values["geography__name"],
                area_level=values["geography__level"],
                period=spans.setdefault(span_key, Span(*span_key)),
                offence_slug=values["offence__slug"],
                offence_name=values["offence__name"],
                offence_in_force=values["offence__in_force"],
                measure_slug=values["measure__slug"],
                measure_name=values["measure__name"],
                denominator_slug=values["measure__denominator__slug"] or "",
                unit=values["unit"],
                platform_slug=values["platform__slug"] or "",
                platform_name=values["platform__name"] or "",
                platform_is_grouping=bool(values["platform__is_grouping"]),
                platform_description=values["platform__description"] or "",
                value=values["value"],
                qualifier=values["qualifier"],
                coverage=values["coverage"],
                note=values["note"],
                status=values["status"],
                source=publications.setdefault(source_key[0], Publication(*source_key)),
                release=values["release__number"],
                release_published=_local_day(release_days, values["release__published_at"]),
            )
        )


def _local_day(seen: dict, moment):
    if moment not in seen:
        seen[moment] = timezone.localdate(moment)
    return seen[moment]


class Figure(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="figures")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="figures")
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="figures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="figures")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    # Copied from the measure so the database itself can check the value's range;
    # a (measure, unit) foreign key keeps the copy honest (migration 0002).
    unit = models.CharField(max_length=10, choices=Measure.Unit.choices, editable=False)
    qualifier = models.CharField(
        max_length=12,
        blank=True,
        choices=[(word, word) for word in QUALIFIERS],
        help_text="The source's own precision word, e.g. 'about' for \"around 40%\"; empty when exact.",
    )
    coverage = models.CharField(
        max_length=200,
        blank=True,
        help_text="Which forces the count covers, e.g. '44 UK forces (all but Lincolnshire)'.",
    )
    note = models.TextField(blank=True)
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="figures", help_text="The release that published this row."
    )
    status = models.CharField(max_length=10, choices=Status.choices, help_text="Set only by the publish service.")

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["period__start", "geography__code"]
        constraints = [
            # Among rows on the dashboard (a withdrawn row is history, not data):
            models.UniqueConstraint(
                name="a_source_gives_one_value_per_series",
                fields=["source", "geography", "period", "offence", "measure", "platform"],
                condition=Q(platform__isnull=False) & ~Q(status="withdrawn"),
            ),
            models.UniqueConstraint(
                name="a_source_gives_one_value_per_series_without_platform",
                fields=["source", "geography", "period", "offence", "measure"],
                condition=Q(platform__isnull=True) & ~Q(status="withdrawn"),
            ),
            models.UniqueConstraint(
                name="a_series_has_one_current_figure",
                fields=["geography", "period", "offence", "measure", "platform"],
                condition=Q(platform__isnull=False, status="current"),
            ),
            models.UniqueConstraint(
                name="a_series_without_platform_has_one_current_figure",
                fields=["geography", "period", "offence", "measure"],
                condition=Q(platform__isnull=True, status="current"),
            ),
            models.CheckConstraint(name="figure_is_not_negative", condition=Q(value__gte=0)),
            models.CheckConstraint(name="percent_is_at_most_100", condition=~Q(unit="percent") | Q(value__lte=100)),
            models.CheckConstraint(
                name="counts_and_ages_are_whole_numbers",
                condition=Q(unit="percent") | Q(value=Round(F("value"))),
            ),
        ]
        indexes = [
            # Trend and area pages: one area's series for an offence and measure.
            models.Index(fields=["geography", "offence", "measure"], name="figure_series_lookup"),
            # Every page: the current figures only.
            models.Index(fields=["status"], name="figure_status", condition=Q(status="current")),
            # /sources/: each source's first figures, read in order without reading the rest.
            models.Index(fields=["source", "id"], name="figure_source_preview", condition=~Q(status="withdrawn")),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.display_value} ({self.geography.name}, {self.period})"

    def save(self, *args, **kwargs) -> None:
        self.unit = self.measure.unit
        super().save(*args, **kwargs)

    @property
    def is_superseded(self) -> bool:
        return self.status == Status.REVISION

    @property
    def case_key(self) -> tuple[int, int, int]:
        """The same offences in the same area and period: what a share or an outcome is set against."""
        return self.geography_id, self.period_id, self.offence_id

    @property
    def display_value(self) -> str:
        return format_value(self.value, self.unit, self.qualifier)


class FigureStatusSpan(StatusSpan):
    figure = models.ForeignKey(Figure, on_delete=models.PROTECT, related_name="status_spans")

    class Meta:
        constraints = status_span_constraints("figure", "figure")
        indexes = [
            # Figure.objects.as_of(N): the spans open at release N.
            models.Index(fields=["from_release", "until_release"], name="figure_span_releases"),
        ]
