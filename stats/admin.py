"""Admin screens for every table, so the data can be inspected and corrected without a developer."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from stats.models import (
    Figure,
    Geography,
    KeyDate,
    Measure,
    Offence,
    Period,
    Platform,
    ReportingRoute,
    Source,
)


class StatsAdmin(admin.ModelAdmin):
    # A web address typed without a scheme is assumed to be https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Geography)
class GeographyAdmin(StatsAdmin):
    list_display = ["code", "name", "level", "parent", "home_office_force_name"]
    list_filter = ["level", "parent"]
    search_fields = ["code", "name", "home_office_force_name"]
    list_select_related = ["parent"]


@admin.register(Period)
class PeriodAdmin(StatsAdmin):
    list_display = ["label", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["label"]


@admin.register(Offence)
class OffenceAdmin(StatsAdmin):
    list_display = ["name", "slug", "home_office_code", "in_force"]
    search_fields = ["name", "slug", "description", "legal_basis"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measure)
class MeasureAdmin(StatsAdmin):
    list_display = ["name", "slug", "unit", "per_platform", "denominator"]
    list_filter = ["unit", "per_platform"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Platform)
class PlatformAdmin(StatsAdmin):
    list_display = ["name", "slug", "is_grouping", "safety_url"]
    list_filter = ["is_grouping"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["geography", "period", "offence", "measure", "platform", "value", "note"]
    raw_id_fields = ["geography", "period"]
    show_change_link = True


@admin.register(Source)
class SourceAdmin(StatsAdmin):
    list_display = ["title", "publisher", "published_label", "published_precision", "figure_count"]
    list_filter = ["published_precision", "publisher"]
    search_fields = ["title", "publisher", "url", "coverage"]
    date_hierarchy = "published"
    inlines = [FigureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(figure_count=Count("figures"))

    @admin.display(description="published", ordering="published")
    def published_label(self, source: Source) -> str:
        return source.published_label

    @admin.display(description="figures", ordering="figure_count")
    def figure_count(self, source: Source) -> int:
        return source.figure_count


class CurrentFilter(admin.SimpleListFilter):
    title = "revision status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("current", "Current (latest publication)"), ("superseded", "Restated by a later source")]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "superseded":
            return queryset.superseded()
        return queryset


@admin.register(Figure)
class FigureAdmin(StatsAdmin):
    list_display = ["geography", "period", "offence", "measure", "platform", "display_value", "source"]
    list_filter = [CurrentFilter, "offence", "measure", "period__kind", "geography__level", "platform"]
    search_fields = [
        "geography__name",
        "geography__code",
        "period__label",
        "source__title",
        "source__publisher",
        "note",
    ]
    list_select_related = ["geography", "period", "offence", "measure", "platform", "source"]
    autocomplete_fields = ["geography", "period", "source"]
    readonly_fields = ["unit"]

    @admin.display(description="value", ordering="value")
    def display_value(self, figure: Figure) -> str:
        return figure.display_value


@admin.register(KeyDate)
class KeyDateAdmin(StatsAdmin):
    list_display = ["date", "title"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"


@admin.register(ReportingRoute)
class ReportingRouteAdmin(StatsAdmin):
    list_display = ["name", "order", "who_for", "phone", "url", "anonymous", "for_young_people", "last_checked"]
    list_editable = ["order"]
    list_filter = ["anonymous", "for_young_people"]
    prepopulated_fields = {"key": ["name"]}
    search_fields = ["name", "who_for", "when_to_use", "note"]


from stats import upload_admin  # noqa: E402, F401  (registers the Upload admin)
