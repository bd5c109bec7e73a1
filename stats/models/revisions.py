"""Revisions: when several sources give a value for the same series, the latest publication
is current and the earlier ones are its revisions. Worked out in the query, never stored,
so no flag can fall out of date. Figures and population estimates share this rule.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce


class RevisedQuerySet(models.QuerySet):
    series_fields: tuple[str, ...] = ()  # the fields that name one series
    nullable_series_fields: tuple[str, ...] = ()  # compared with NULL as a value

    def _same_series(self) -> models.QuerySet:
        same = {field: OuterRef(field) for field in self.series_fields}
        keys = {f"{field}_key": Coalesce(f"{field}_id", 0) for field in self.nullable_series_fields}
        return (
            self.model.objects.annotate(**keys)
            .filter(**same, **{f"{f}_key": Coalesce(OuterRef(f"{f}_id"), 0) for f in self.nullable_series_fields})
            .exclude(pk=OuterRef("pk"))
        )

    def with_revision_status(self):
        """Annotate is_superseded: a later publication (ties broken by source id) restates it."""
        later = self._same_series().filter(
            Q(source__published__gt=OuterRef("source__published"))
            | Q(source__published=OuterRef("source__published"), source_id__gt=OuterRef("source_id"))
        )
        return self.annotate(is_superseded=Exists(later))

    def current(self):
        return self.with_revision_status().filter(is_superseded=False)

    def superseded(self):
        return self.with_revision_status().filter(is_superseded=True)
