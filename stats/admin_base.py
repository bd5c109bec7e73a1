"""What every admin screen of the data app shares: who may publish, and which values are fixed.

Figures, estimates, releases, sources and periods are written only by the publish service
(stats/releases.py), so their screens are read-only. On reference data, the fields that say
what a published figure means (a code, a slug, a unit) are fixed once the row exists; names
and descriptions stay editable.
"""

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest

from stats.models import Release
from stats.release_files import not_yet_written

UPLOAD_PERMISSION = "stats.upload_figures"


def announce_release(request: HttpRequest, release: Release) -> None:
    """Say plainly what is live (the release, on every page, at once) and what is not yet
    (download files a full disk kept from being written): the release is never reported as failed."""
    messages.success(request, f"Published release {release.number}: {release.summary.rstrip('.')}. It is live now.")
    if waiting := not_yet_written(release):
        messages.warning(request, waiting)


class StatsAdmin(admin.ModelAdmin):
    # A web address typed without a scheme is assumed to be https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fixed_once_saved: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fixed = self.fixed_once_saved if obj is not None else ()
        return [*super().get_readonly_fields(request, obj), *fixed]

    def get_prepopulated_fields(self, request: HttpRequest, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)


class ReadOnlyAdmin(StatsAdmin):
    """Rows written only by the publish service: anyone with view permission may read them."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Whoever may publish may read what publishing did.
        return super().has_view_permission(request, obj) or request.user.has_perm(UPLOAD_PERMISSION)
