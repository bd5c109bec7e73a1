"""The upload form: the file, its format and the publication it comes from."""

from django import forms
from django.conf import settings

from stats.importers.files import readable_size
from stats.models import Upload
from stats.models.sources import parse_published
from stats.publishing import SourceDetails


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX or ODS.")
    format = forms.ChoiceField(choices=Upload.Format.choices, initial=Upload.Format.TIDY)
    source_publisher = forms.CharField(label="Publisher", max_length=200, help_text="e.g. Home Office, NSPCC.")
    source_title = forms.CharField(label="Title of the publication", max_length=300)
    source_published = forms.CharField(
        label="Publication date",
        max_length=10,
        help_text="As precisely as the publication says: 2025, 2025-07 or 2025-07-24. Never guess a day.",
    )
    source_url = forms.URLField(label="Web address", required=False, assume_scheme="https", max_length=500)
    source_coverage = forms.CharField(
        label="Coverage",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. 43 forces of England and Wales.",
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                f"The file is {readable_size(file.size)}; the largest file accepted is {readable_size(limit)}."
            )
        return file

    def clean_source_published(self):
        text = self.cleaned_data["source_published"].strip()
        try:
            parse_published(text)
        except ValueError as error:
            raise forms.ValidationError(f"{error}.") from error
        return text

    @property
    def source_details(self) -> SourceDetails:
        data = self.cleaned_data
        return SourceDetails(
            publisher=data["source_publisher"].strip(),
            title=data["source_title"].strip(),
            published=data["source_published"],
            url=data["source_url"],
            coverage=data["source_coverage"].strip(),
        )
