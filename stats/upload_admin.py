"""Uploading figures in the admin: upload, check every row, preview, then publish or cancel.

Only users with the "Can upload and publish figures" permission may upload,
publish or cancel; staff with the view permission can read the whole history.
"""

import contextlib
from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from stats.admin_base import UPLOAD_PERMISSION, announce_release
from stats.forms import UploadForm
from stats.importers.detect import format_of_sheets
from stats.importers.files import FileProblem, open_sheets
from stats.models import Geography, Measure, Offence, Platform, Release, Upload
from stats.publishing import PublishError, cancel_upload, check_upload, publish_upload, record_upload
from stats.templates_tidy import COLUMN_RULES, blank_csv, blank_xlsx
from stats.upload_preview import grouped, unchanged_lines


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = [
        "uploaded_at",
        "file_name",
        "format",
        "status",
        "uploaded_by",
        "figures_new",
        "figures_changed",
        "figures_unchanged",
        "error_count",
    ]
    list_filter = ["status", "format"]
    search_fields = ["file_name", "sha256", "source_title", "source_publisher"]
    date_hierarchy = "uploaded_at"
    readonly_fields = [*(f.name for f in Upload._meta.fields), "release_link"]

    @admin.display(description="release")
    def release_link(self, upload: Upload) -> str:
        release = Release.objects.filter(upload=upload).first()
        if release is None:
            return "None: nothing from this upload was published."
        url = reverse("admin:stats_release_change", args=[release.pk])
        return format_html('<a href="{}">Release {}</a>: every figure it added or changed', url, release.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(UPLOAD_PERMISSION)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the history is a record: read it, never edit it

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="stats_upload_preview"),
            path("<int:pk>/original/", self.admin_site.admin_view(self.original_view), name="stats_upload_original"),
            path("template.csv", self.admin_site.admin_view(self.template_csv_view), name="stats_upload_template_csv"),
            path(
                "template.xlsx", self.admin_site.admin_view(self.template_xlsx_view), name="stats_upload_template_xlsx"
            ),
            path("columns/", self.admin_site.admin_view(self.columns_view), name="stats_upload_columns"),
        ]
        return own + super().get_urls()

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            form = UploadForm(request.POST or None, request.FILES or None)
        except OSError as error:  # the server's disk filled while the file arrived
            for handler in request.upload_handlers:
                handler.upload_interrupted()  # deletes the part-received temporary file now, not at exit
            return self._upload_page(request, UploadForm(), not_received=error.strerror or str(error))
        again = request.GET.get("again", "")
        if request.method == "GET" and again.isdigit():
            earlier = Upload.objects.filter(pk=int(again)).first()
            form = UploadForm.again(earlier) if earlier else form
        if request.method == "POST" and form.is_valid():
            upload = record_upload(
                file=form.cleaned_data["file"],
                file_format=form.cleaned_data["format"],
                details=form.source_details,
                user=request.user,
            )
            checked = check_upload(upload)
            checked = self._read_as_its_header_says(request, upload) or checked
            self._list_unchanged(upload, *checked)
            return redirect("admin:stats_upload_preview", pk=upload.pk)
        return self._upload_page(request, form)

    def _list_unchanged(self, upload: Upload, result, changes) -> None:
        """The preview names the figures the file repeats exactly, beside the new and changed ones."""
        if changes is not None and upload.figures_unchanged:
            upload.preview = [*upload.preview, *unchanged_lines(upload, result, changes)]
            upload.save(update_fields=["preview"])

    def _read_as_its_header_says(self, request: HttpRequest, upload: Upload):
        """A file refused in the format chosen is checked again in the format its header names, if another.

        The format is easy to leave on its default; a Home Office table's header is its own,
        so the admin is told what was done rather than handed a list of missing columns.
        """
        if upload.status != Upload.Status.REJECTED or not upload.file:
            return
        try:
            with contextlib.closing(open_sheets(Path(upload.file.path), max_bytes=settings.UPLOAD_MAX_BYTES)) as sheets:
                found = format_of_sheets(sheets)
        except (FileProblem, OSError, UnicodeDecodeError):
            return  # the check already said why the file cannot be read
        if not found or found == upload.format:
            return
        chosen = upload.get_format_display()
        upload.format = found
        upload.save(update_fields=["format"])
        checked = check_upload(upload)
        messages.info(
            request,
            f"This file's header is that of the format “{upload.get_format_display()}”, so it was checked "
            f"as one (the format chosen was “{chosen}”).",
        )
        return checked

    def _upload_page(self, request: HttpRequest, form: UploadForm, not_received: str = "") -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "not_received": not_received,
            "title": "Upload figures",
        }
        return TemplateResponse(request, "admin/stats/upload/upload_form.html", context)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        upload = get_object_or_404(Upload, pk=pk)
        if request.method == "POST":
            if not request.user.has_perm(UPLOAD_PERMISSION):
                raise PermissionDenied
            return self._decide(request, upload)
        can_upload = request.user.has_perm(UPLOAD_PERMISSION)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "upload": upload,
            "release": Release.objects.filter(upload=upload).first(),
            "groups": (groups := grouped(upload.preview)),
            "unchanged": [(g.heading, line) for g in groups for line in g.lines if line["change"] == "unchanged"],
            "changes_listed": sum(1 for line in upload.preview if line["kind"] != "unchanged"),
            "can_publish": upload.status == Upload.Status.PREVIEWED and can_upload,
            "nothing_to_publish": upload.status == Upload.Status.PREVIEWED
            and upload.figures_new + upload.figures_changed == 0,
            "can_try_again": upload.status == Upload.Status.REJECTED and can_upload,
            "title": f"Check {upload.file_name}",
        }
        return TemplateResponse(request, "admin/stats/upload/preview.html", context)

    def _decide(self, request: HttpRequest, upload: Upload) -> HttpResponse:
        if "cancel" in request.POST:
            cancel_upload(upload=upload, user=request.user)
            messages.info(request, f"Cancelled {upload.file_name}: nothing was published.")
            return redirect("admin:stats_upload_changelist")
        try:
            release = publish_upload(
                upload=upload, user=request.user, warnings_confirmed=request.POST.get("warnings_checked") == "yes"
            )
        except PublishError as error:
            messages.error(request, f"Nothing was published. {error}")
            return redirect("admin:stats_upload_preview", pk=upload.pk)
        if release is None:
            messages.info(
                request,
                f"Nothing was published: every figure in {upload.file_name} is already published, "
                "perhaps by another upload since this one was checked.",
            )
            return redirect(reverse("admin:stats_upload_change", args=[upload.pk]))
        announce_release(request, release)
        return redirect(reverse("admin:stats_release_change", args=[release.pk]))

    def original_view(self, request: HttpRequest, pk: int) -> FileResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        upload = get_object_or_404(Upload, pk=pk)
        if not upload.file:
            raise Http404("This file was refused for its size or type when it arrived, so it was not kept.")
        return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.file_name)

    def template_csv_view(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(blank_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="figures-template.csv"'
        return response

    def template_xlsx_view(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            blank_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="figures-template.xlsx"'
        return response

    def columns_view(self, request: HttpRequest) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "The tidy template: every column and allowed value",
            "rules": COLUMN_RULES.items(),
            "areas": Geography.objects.order_by("level", "name"),
            "offences": Offence.objects.all(),
            "measures": Measure.objects.all(),
            "platforms": Platform.objects.all(),
        }
        return TemplateResponse(request, "admin/stats/upload/columns.html", context)
