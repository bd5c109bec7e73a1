"""Revisions: when several sources give a value for the same series, the latest publication
is current and the earlier ones are kept as its revisions.

Which row is current is decided once, by the publish service inside the transaction
that changes a series (stats/releases.py), and stored in `status`; partial unique
indexes let the database hold only one current row per series. How each row stood
after every release is kept in status spans, so the past is never recomputed.
Figures and population estimates share all of this.
"""

from django.db import models
from django.db.models import Count, FilteredRelation, Q


class Status(models.TextChoices):
    CURRENT = "current", "Current"
    REVISION = "revision", "Kept as a revision: another publication of the same series is current"
    WITHDRAWN = "withdrawn", "Withdrawn: replaced by a correction, or its release was withdrawn"


LIVE = (Status.CURRENT, Status.REVISION)


def publication_order(published, source_id) -> tuple:
    """The rule: the latest publication is current; two on the same day, the later source we recorded."""
    return published, source_id


def latest_publication(rows: list) -> object:
    return max(rows, key=lambda row: publication_order(row.source.published, row.source_id))


class RevisedQuerySet(models.QuerySet):
    def published(self):
        """Every row on the dashboard now: current values and the revisions kept beside them."""
        return self.filter(status__in=LIVE)

    def current(self):
        return self.filter(status=Status.CURRENT)

    def superseded(self):
        return self.filter(status=Status.REVISION)

    def counts_by_source(self, sources: list[int]) -> dict[int, dict[str, int]]:
        """For each of these sources: how many of its rows are current and how many revisions."""
        counts: dict[int, dict[str, int]] = {source: dict.fromkeys(LIVE, 0) for source in sources}
        rows = self.published().filter(source__in=sources).values_list("source", "status").annotate(n=Count("pk"))
        for source, status, n in rows.order_by():
            counts[source][status] = n
        return counts

    def as_of(self, release: int):
        """The rows on the dashboard right after release N, each annotated with `status_then`.

        One join on the status spans: the span open at N says how the row stood then.
        """
        standing = Q(status_spans__from_release__lte=release) & (
            Q(status_spans__until_release__isnull=True) | Q(status_spans__until_release__gt=release)
        )
        return (
            self.annotate(span_then=FilteredRelation("status_spans", condition=standing))
            .filter(span_then__isnull=False)
            .annotate(status_then=models.F("span_then__status"))
        )


class StatusSpan(models.Model):
    """From one release until another (or until now), a row was current or kept as a revision."""

    status = models.CharField(max_length=10, choices=[(s.value, s.label) for s in LIVE])
    from_release = models.ForeignKey("stats.Release", on_delete=models.PROTECT, related_name="+")
    until_release = models.ForeignKey(
        "stats.Release", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


def status_span_constraints(prefix: str, row_field: str) -> list:
    return [
        models.CheckConstraint(
            name=f"{prefix}_span_ends_after_it_starts",
            condition=Q(until_release__isnull=True) | Q(until_release__gt=models.F("from_release")),
        ),
        models.UniqueConstraint(
            name=f"{prefix}_has_one_open_span", fields=[row_field], condition=Q(until_release__isnull=True)
        ),
    ]
