"""GET forms that choose what a page shows. Every choice lives in the URL, so every view
has a link that reopens it; a bad value falls back to the default with a clear message."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms

from stats.age_bands import DEFAULT_BAND, RATE_BANDS, band_label
from stats.models import Geography, Measure, Offence

LEVEL_GROUPS = [
    ("Countries and nations", ("country", "nation")),
    ("English regions", ("region",)),
    ("Police force areas", ("police_force_area",)),
]
MAX_ECHO = 40  # a bad value is quoted back only this far, so a huge parameter stays harmless


def geography_choices(geographies: list[Geography], *, blank: str | None = None) -> list:
    groups = [
        (group, [(g.code, g.name) for g in sorted(geographies, key=lambda g: g.name) if g.level in levels])
        for group, levels in LEVEL_GROUPS
    ]
    return ([("", blank)] if blank else []) + groups


@dataclass(frozen=True)
class Choice:
    """What a form settled on: its values, the messages for values it could not use, its query."""

    values: dict[str, str]
    messages: list[str]

    @property
    def query(self) -> str:
        return urlencode({name: value for name, value in self.values.items() if value})


class ChoiceForm(forms.Form):
    """A form whose every field has a default; settle() never fails."""

    defaults: dict[str, str] = {}

    def __init__(self, data) -> None:
        # Parameters that are not choices (a download's card and format) leave the defaults alone.
        chosen = data is not None and any(name in data for name in self.base_fields)
        super().__init__(data if chosen else None)

    def settle(self) -> Choice:
        if not self.is_bound:
            self._show(dict(self.defaults))
            return Choice(dict(self.defaults), [])
        self.is_valid()
        values, messages = {}, []
        for name, field in self.fields.items():
            if name not in self.data:
                values[name] = self.defaults[name]  # not chosen: the default, with nothing to report
            elif name in self.errors:
                raw = str(self.data.get(name, ""))
                shown = raw if len(raw) <= MAX_ECHO else raw[:MAX_ECHO] + "…"
                default = dict(_flat(field.choices)).get(self.defaults[name]) or "none"
                messages.append(
                    f"{field.label}: we have no figures for \u2018{shown}\u2019. Showing {default} instead."
                )
                values[name] = self.defaults[name]
            else:
                values[name] = self.cleaned_data.get(name) or ""
        self._show(values)
        return Choice(values, messages)

    def _show(self, values: dict[str, str]) -> None:
        """Render from now on as an unbound form showing the settled values, not what was typed.

        Its errors go too: what it shows is valid, and a field still holding an error renders
        aria-invalid with aria-describedby naming an error element that no template draws
        (the page says what it could not use in its messages instead)."""
        self.is_bound, self.data, self.initial = False, {}, values
        self._errors = None


def _flat(choices) -> list[tuple[str, str]]:
    flat = []
    for value, label in choices:
        flat.extend(label if isinstance(label, list | tuple) else [(value, label)])
    return flat


SHOW_CHOICES = [("count", "Count"), ("rate", "Rate per 10,000 children")]
SORT_CHOICES = [("rate", "Highest rate first"), ("count", "Highest count first"), ("area", "Area name")]
AGE_CHOICES = [(band, band_label(band).capitalize()) for band in RATE_BANDS]


class TrendForm(ChoiceForm):
    defaults = {
        "geography": "K02000001",
        "compare": "K04000001",
        "offence": "sexual-communication-with-a-child",
        "measure": "offences-recorded",
        "show": "count",
        "age": DEFAULT_BAND,
    }
    geography = forms.ChoiceField(label="Area")
    compare = forms.ChoiceField(label="Compare with", required=False)
    offence = forms.ChoiceField(label="Offence")
    measure = forms.ChoiceField(label="Measure")
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES)
    age = forms.ChoiceField(label="Rate per children aged", choices=AGE_CHOICES)

    def __init__(self, data, *, geographies: list[Geography], offences: list[Offence], measures: list[Measure]):
        super().__init__(data)
        self.fields["geography"].choices = geography_choices(geographies)
        self.fields["compare"].choices = geography_choices(geographies, blank="No comparison")
        self.fields["offence"].choices = [(o.slug, o.name) for o in offences]
        self.fields["measure"].choices = [(m.slug, m.name) for m in measures if not m.per_platform]
        if self.is_bound:
            # A link that names only an area compares it with nothing.
            self.defaults = {**self.defaults, "compare": ""}

    def settle(self) -> Choice:
        choice = super().settle()
        if choice.values["show"] == "count" and choice.values["age"] == self.defaults["age"]:
            # Keep links short: the age band only matters for rates.
            return Choice({k: v for k, v in choice.values.items() if k != "age"} | {"age": ""}, choice.messages)
        return choice


class AreaOffenceForm(ChoiceForm):
    """Which offence an area page shows: one, or (blank, the default) the latest few."""

    defaults = {"offence": ""}
    offence = forms.ChoiceField(label="Offence", required=False)

    def __init__(self, data, *, offences: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["offence"].choices = [("", "the latest offences"), *offences]


class ViewForm(ChoiceForm):
    """One of the views a page offers (a release of platform shares, an offence and period of
    outcomes), the first by default."""

    view = forms.ChoiceField()

    def __init__(self, data, *, views: list[tuple[str, str]], label: str):
        super().__init__(data)
        self.fields["view"].choices = views
        self.fields["view"].label = label
        self.defaults = {"view": views[0][0] if views else ""}


class MapForm(ChoiceForm):
    """The same choices as the trends page, for one period across all police force areas."""

    offence = forms.ChoiceField(label="Offence")
    measure = forms.ChoiceField(label="Measure")
    period = forms.ChoiceField(label="Period")
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES)
    age = forms.ChoiceField(label="Rate per children aged", choices=AGE_CHOICES)
    area = forms.ChoiceField(label="Your area (optional)", required=False)
    sort = forms.ChoiceField(label="Sort the table by", choices=list(SORT_CHOICES))

    def __init__(self, data, *, defaults: dict[str, str], offences, measures, periods, areas: list[Geography]):
        self.defaults = {"show": "rate", "age": DEFAULT_BAND, "area": "", "sort": "rate", **defaults}
        super().__init__(data)
        self.fields["offence"].choices = [(o.slug, o.name) for o in offences]
        self.fields["measure"].choices = [(m.slug, m.name) for m in measures]
        self.fields["period"].choices = [(label, label) for label in periods]
        self.fields["area"].choices = [("", "None")] + [
            (group, options) for group, options in geography_choices(areas) if options
        ]
