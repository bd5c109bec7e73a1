"""The upload form: the file, its format and the publication it comes from."""

from django import forms
from django.conf import settings

from stats.importers.files import readable_size
from stats.importers.rows import CellError, check_cell
from stats.models import Upload
from stats.models.sources import parse_published
from stats.publishing import SourceDetails, corrected_row


class UploadForm(forms.Form):
    file = forms.FileField(help_text=f"CSV, XLSX or ODS, up to {readable_size(settings.UPLOAD_MAX_BYTES)}.")
    format = forms.ChoiceField(
        choices=Upload.Format.choices,
        initial=Upload.Format.TIDY,
        help_text="If the file's header row is another format's (a Home Office table's, say), it is checked as that.",
    )
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

    @classmethod
    def again(cls, upload: Upload) -> "UploadForm":
        """A blank form for another try, with what the admin said about the source last time."""
        fields = ["format", "source_publisher", "source_title", "source_published", "source_url", "source_coverage"]
        return cls(initial={name: getattr(upload, name) for name in fields})

    def clean_source_published(self):
        text = self.cleaned_data["source_published"].strip()
        try:
            parse_published(text)
        except ValueError as error:
            raise forms.ValidationError(f"{error}.") from error
        return text

    def clean(self):
        data = super().clean()
        fields = ("source_publisher", "source_title", "source_published", "source_url", "source_coverage")
        if all(name in data for name in fields):
            for problem in self.source_details.problems():
                self.add_error(None, problem)
        return data

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


class ReasonField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            label="Reason",
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            help_text="Shown to the public in What's new. Say what was wrong, and how you know.",
            **kwargs,
        )

    def validate(self, value: str) -> None:
        super().validate(value)
        try:
            check_cell("reason", value, multiline=True)
        except CellError as error:
            raise forms.ValidationError(f"The reason {error.expected}.") from error


class CorrectionForm(forms.Form):
    """A new value and note for one figure from the same source, with the reason."""

    value = forms.CharField(max_length=40)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    reason = ReasonField()

    def __init__(self, *args, figure, **kwargs) -> None:
        super().__init__(*args, initial={"value": f"{figure.value.normalize():f}", "note": figure.note}, **kwargs)
        self.fields["value"].help_text = f"In {figure.get_unit_display().lower()}. Now {figure.display_value}."
        self.figure = figure

    def clean(self):
        data = super().clean()
        if "value" in data:
            try:
                data["row"] = corrected_row(self.figure, value=data["value"], note=data.get("note", ""))
            except CellError as error:
                raise forms.ValidationError(f"{error.value!r} {error.expected}.") from error
        return data


class WithdrawalForm(forms.Form):
    """The confirmation of a withdrawal: the box names how many figures come down, so no click does it by chance."""

    confirm = forms.BooleanField(required=True)
    reason = ReasonField()

    def __init__(self, *args, count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = f"Yes, take down all {count} figure{'s' if count != 1 else ''} listed above"
        self.fields["confirm"].error_messages["required"] = "Tick the box to confirm what will be taken down."
