"""Releases, figures and population estimates in the admin: to read, correct and withdraw.

Values are read-only here. A figure is corrected with "Correct this figure", and a
release is undone with "Withdraw this release": each makes a release of its own,
through the publish service, with a reason the public can read. Both need the
permission "Can upload and publish figures".
"""

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


class ChangeInline(admin.TabularInline):
    model = Change
    extra = 0
    can_delete = False
    fields = ["kind", "figure", "population", "old_value", "new_value"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Part of the release's own record.
        return request.user.has_perm("stats.view_release") or request.user.has_perm(UPLOAD_PERMISSION)


@admin.register(Release)
class ReleaseAdmin(ActionsAdmin):
    list_display = ["number", "published_at", "kind", "summary", "figures_added", "figures_revised", "withdrawn"]
    list_filter = ["kind"]
    search_fields = ["summary", "reason"]
    inlines = [ChangeInline]
    readonly_fields = [*(f.name for f in Release._meta.fields), "withdraw_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("withdrawn_by")

    @admin.display(description="withdrawn", boolean=True)
    def withdrawn(self, release: Release) -> bool:
        return release.is_withdrawn

    @admin.display(description="withdraw")
    def withdraw_link(self, release: Release) -> str:
        if release.is_withdrawn or release.kind not in (Release.Kind.UPLOAD, Release.Kind.CORRECTION):
            return "-"
        return format_html(
            '<a href="{}">Withdraw this release</a>', reverse("admin:stats_release_withdraw", args=[release.pk])
        )

    def get_urls(self):
        own = [
            path("<int:pk>/withdraw/", self.admin_site.admin_view(self.withdraw_view), name="stats_release_withdraw")
        ]
        return own + super().get_urls()

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=pk)
        form = WithdrawalForm(request.POST or None)
        return self._release_page(
            request,
            form=form,
            publish=lambda data: withdraw(release=release, reason=data["reason"], user=request.user),
            obj=release,
            title=f"Withdraw release {release.number}",
            intro=(
                f"“{release.summary}”. Withdrawing it publishes a new release that takes down every figure "
                "it added and puts back every figure it replaced, exactly as before. Nothing is deleted."
            ),
            submit="Withdraw this release",
        )


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
