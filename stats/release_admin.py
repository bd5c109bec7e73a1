"""Releases, figures and population estimates in the admin: to read, correct and withdraw.

Values are read-only here. A figure is corrected with "Correct this figure", and a
release is undone with "Withdraw this release…", after a page that names every figure
it would take down: each makes a release of its own, through the publish service, with
a reason the public can read. Both need the permission "Can upload and publish figures".
"""

from collections import defaultdict

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from stats.admin_base import UPLOAD_PERMISSION, ReadOnlyAdmin, announce_release
from stats.forms import CorrectionForm, WithdrawalForm
from stats.models import Change, Figure, Population, Release
from stats.models.revisions import Status
from stats.numbers import format_value
from stats.releases import PublishError, correct_figure, withdraw


class ActionsAdmin(ReadOnlyAdmin):
    """A read-only screen with forms that publish a release of their own."""

    def _release_page(self, request: HttpRequest, *, form, publish, **page) -> HttpResponse:
        """A form whose valid submission publishes a release (a correction, a withdrawal), then shows it."""
        if request.method == "POST" and form.is_valid():
            try:
                release = publish(form.cleaned_data)
            except PublishError as error:
                form.add_error(None, str(error))
            else:
                announce_release(request, release)
                return redirect("admin:stats_release_change", release.pk)
        return self._action_page(request, form=form, **page)

    def _action_page(self, request: HttpRequest, *, form, title: str, intro: str, submit: str, obj) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
        }
        return TemplateResponse(request, "admin/stats/action_form.html", context)


def plain(value, unit: str = "count") -> str:
    """A value as a reader says it: 586, not 586.00; nothing is "new", not None."""
    return "new" if value is None else format_value(value, unit)


# What a change's figure or estimate is called: its area, period, offence, measure and platform.
NAMES_OF_A_CHANGE = (
    "figure__geography",
    "figure__period",
    "figure__offence",
    "figure__measure",
    "figure__platform",
    "population__geography",
)


class ChangeInline(admin.TabularInline):
    model = Change
    extra = 0
    can_delete = False
    fields = ["what", "change", "before", "after"]
    template = "admin/stats/release/changes_inline.html"
    # Folded: an upload's release changes hundreds of figures, and the counts above say how many.
    classes = ["collapse"]
    verbose_name_plural = "Every figure this release added, changed or took down"
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*NAMES_OF_A_CHANGE)

    @admin.display(description="figure")
    def what(self, change: Change) -> str:
        return described(change)

    @admin.display(description="what happened")
    def change(self, change: Change) -> str:
        return change.get_kind_display()

    @admin.display(description="before")
    def before(self, change: Change) -> str:
        if change.old_value is None:
            return "new" if change.kind == Change.Kind.NEW else "not shown"
        return plain(change.old_value, unit_of(change))

    @admin.display(description="after")
    def after(self, change: Change) -> str:
        return "taken down" if change.new_value is None else plain(change.new_value, unit_of(change))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Part of the release's own record.
        return request.user.has_perm("stats.view_release") or request.user.has_perm(UPLOAD_PERMISSION)


def unit_of(change: Change) -> str:
    return change.figure.unit if change.figure_id else "count"


def described(change: Change) -> str:
    """'West Midlands Police, 2024/25: Sexual grooming (Home Office 88A), offences recorded', names first."""
    if change.population_id:
        estimate = change.population
        return f"{estimate.geography.name}, mid-{estimate.year}: population, ages {estimate.age_band}"
    figure = change.figure
    what = ", ".join(str(part) for part in (figure.offence, figure.measure, figure.platform) if part)
    return f"{figure.geography.name}, {figure.period.label}: {what}"


def withdrawal_groups(release: Release) -> list[dict]:
    """What withdrawing the release would take down, grouped by what is counted, each group by area."""
    groups: dict[str, list[str]] = defaultdict(list)
    for change in Change.objects.filter(release=release).select_related(*NAMES_OF_A_CHANGE):
        if change.population_id:
            heading = "Population estimates"
            groups[heading].append(
                f"{change.population.geography.name}, mid-{change.population.year}, ages {change.population.age_band}"
            )
            continue
        figure = change.figure
        heading = ", ".join(str(part) for part in (figure.offence, figure.measure, figure.platform) if part)
        groups[heading].append(f"{figure.geography.name}, {figure.period.label}: {figure.display_value}")
    return [{"heading": heading, "items": sorted(items)} for heading, items in sorted(groups.items())]


@admin.register(Release)
class ReleaseAdmin(ActionsAdmin):
    list_display = ["number", "published_at", "kind", "summary", "figures_added", "figures_revised", "withdrawn"]
    list_filter = ["kind"]
    search_fields = ["summary", "reason"]
    inlines = [ChangeInline]
    # Which line of the seed file a release came from is for developers; the admin reads the rest.
    fields = readonly_fields = [f.name for f in Release._meta.fields if f.name != "seed_release"]
    change_form_template = "admin/stats/release/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("withdrawn_by")

    @admin.display(description="withdrawn", boolean=True)
    def withdrawn(self, release: Release) -> bool:
        return release.is_withdrawn

    @staticmethod
    def can_be_withdrawn(release: Release) -> bool:
        return not release.is_withdrawn and release.kind in (Release.Kind.UPLOAD, Release.Kind.CORRECTION)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        release = self.get_object(request, object_id)
        offer = release is not None and self.can_be_withdrawn(release) and request.user.has_perm(UPLOAD_PERMISSION)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "offer_withdrawal": offer})

    def get_urls(self):
        own = [
            path("<int:pk>/withdraw/", self.admin_site.admin_view(self.withdraw_view), name="stats_release_withdraw")
        ]
        return own + super().get_urls()

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A confirmation step: the page names every figure withdrawing would take down, and nothing
        changes until the admin ticks the box, gives a reason and presses the button (a POST)."""
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=pk)
        groups = withdrawal_groups(release)
        count = sum(len(group["items"]) for group in groups)
        form = WithdrawalForm(request.POST or None, count=count)
        if request.method == "POST" and form.is_valid():
            try:
                withdrawal = withdraw(release=release, reason=form.cleaned_data["reason"], user=request.user)
            except PublishError as error:
                form.add_error(None, str(error))
            else:
                announce_release(request, withdrawal)
                return redirect("admin:stats_release_change", withdrawal.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": release,
            "form": form,
            "title": f"Withdraw release {release.number}?",
            "groups": groups,
            "count": count,
        }
        return TemplateResponse(request, "admin/stats/release/withdraw_confirm.html", context)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Figure)
class FigureAdmin(ActionsAdmin):
    list_display = ["geography", "period", "offence", "measure", "platform", "display_value", "status", "release"]
    list_filter = [StatusFilter, "offence", "measure", "period__kind", "geography__level", "platform"]
    search_fields = [
        "geography__name",
        "geography__code",
        "period__label",
        "source__title",
        "source__publisher",
        "note",
    ]
    list_select_related = ["geography", "period", "offence", "measure", "platform", "source", "release"]
    readonly_fields = [
        *(f.name for f in Figure._meta.fields if f.name != "id"),
        "correct_link",
    ]

    @admin.display(description="value", ordering="value")
    def display_value(self, figure: Figure) -> str:
        return figure.display_value

    @admin.display(description="correct")
    def correct_link(self, figure: Figure) -> str:
        if figure.status == Status.WITHDRAWN:
            return "Withdrawn: only figures on the dashboard can be corrected."
        url = reverse("admin:stats_figure_correct", args=[figure.pk])
        return format_html('<a href="{}">Correct this figure</a> (publishes a release with your reason)', url)

    def get_urls(self):
        own = [path("<int:pk>/correct/", self.admin_site.admin_view(self.correct_view), name="stats_figure_correct")]
        return own + super().get_urls()

    def correct_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        figure = get_object_or_404(Figure.objects.published().with_provenance(), pk=pk)
        form = CorrectionForm(request.POST or None, figure=figure)
        return self._release_page(
            request,
            form=form,
            publish=lambda data: correct_figure(
                figure=figure, row=data["row"], reason=data["reason"], user=request.user
            ),
            obj=figure,
            title=f"Correct {figure}",
            intro=(
                f"Source: {figure.source}. Use this to fix a figure we copied wrongly from its source. "
                "If the source itself published a new value, upload it as a new release instead. "
                "The old value is kept in the release history."
            ),
            submit="Publish the correction",
        )


@admin.register(Population)
class PopulationAdmin(ReadOnlyAdmin):
    list_display = ["geography", "year", "age_band", "value", "status", "source", "release"]
    list_filter = [StatusFilter, "age_band", "year", "geography__level"]
    search_fields = ["geography__name", "geography__code"]
    list_select_related = ["geography", "source", "release"]
