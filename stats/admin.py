"""Admin screens for every table, so the data can be inspected and corrected without a developer."""

from django.contrib import admin
from django.db.models import Count

from stats.admin_base import ReadOnlyAdmin, StatsAdmin
from stats.models import (
    Figure,
    Geography,
    KeyDate,
    LocalAuthority,
    Measure,
    Offence,
    Period,
    Platform,
    ReportingRoute,
    Source,
)

# The admin says whose it is: the stock "Django administration" reads as someone else's tool.
admin.site.site_header = "Online grooming crime in the UK: administration"
admin.site.site_title = "Grooming dashboard admin"
admin.site.index_title = "What do you want to do?"


@admin.register(Geography)
class GeographyAdmin(StatsAdmin):
    list_display = ["code", "name", "level", "parent", "home_office_force_name"]
    list_filter = ["level", "parent"]
    search_fields = ["code", "name", "home_office_force_name"]
    list_select_related = ["parent"]
    fixed_once_saved = ("code", "level", "parent")


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(StatsAdmin):
    """Councils ship in the seed, matched on their code; like an area's parent, the force that
    covers a council is fixed once saved. Names stay editable, though running the seed again
    puts back the shipped ones: change stats/seed/local_authorities.csv to keep a change."""

    list_display = ["name", "code", "police_force_area", "other_names"]
    list_filter = ["police_force_area"]
    search_fields = ["code", "name", "other_names", "police_force_area__name"]
    list_select_related = ["police_force_area"]
    fixed_once_saved = ("code", "police_force_area")


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["label"]


@admin.register(Offence)
class OffenceAdmin(StatsAdmin):
    list_display = ["name", "slug", "home_office_code", "in_force"]
    search_fields = ["name", "slug", "description", "legal_basis"]
    prepopulated_fields = {"slug": ["name"]}
    fixed_once_saved = ("slug", "home_office_code")


@admin.register(Measure)
class MeasureAdmin(StatsAdmin):
    list_display = ["name", "slug", "unit", "per_platform", "denominator"]
    list_filter = ["unit", "per_platform"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fixed_once_saved = ("slug", "unit", "per_platform", "denominator")


@admin.register(Platform)
class PlatformAdmin(StatsAdmin):
    list_display = ["name", "slug", "is_grouping", "safety_url"]
    list_filter = ["is_grouping"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fixed_once_saved = ("slug",)


class FigureInline(admin.TabularInline):
    """A source's figures, to read: values change only through releases."""

    model = Figure
    extra = 0
    fields = ["geography", "period", "offence", "measure", "platform", "value", "status", "release"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
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


from stats import release_admin, upload_admin  # noqa: E402, F401  (register the release and upload admins)
