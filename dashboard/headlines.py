"""The home page's headline figures: which series they come from, and their sentences.

The choice of series is editorial and lives here; every number and every word of
change is computed from the figures, so a new release updates the headlines.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from stats.cards import sources_of
from stats.models import Figure, Period, Source
from stats.models.reference import OFFENCES_RECORDED
from stats.wording import describe_change

SEXUAL_COMMUNICATION = "sexual-communication-with-a-child"


@dataclass(frozen=True)
class Series:
    label: str
    geography: str
    offence: str
    kind: str
    measure: str = OFFENCES_RECORDED

    def matches(self, figure: Figure) -> bool:
        return (
            figure.geography.code == self.geography
            and figure.offence.slug == self.offence
            and figure.measure.slug == self.measure
            and figure.period.kind == self.kind
            and not figure.is_superseded
        )

    @property
    def trend_url(self) -> str:
        query = urlencode({"geography": self.geography, "offence": self.offence, "measure": self.measure})
        return f"{reverse('trends')}?{query}"


HEADLINE_SERIES = [
    Series("Across the UK", "K02000001", SEXUAL_COMMUNICATION, Period.Kind.FINANCIAL_YEAR),
    Series("West Midlands Police", "E23000014", "online-grooming", Period.Kind.CALENDAR_YEAR),
    Series("The four West Midlands forces", "E12000005", SEXUAL_COMMUNICATION, Period.Kind.FINANCIAL_YEAR),
]


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    what: str
    detail: str
    sentences: list[str]
    sources: list[Source]
    link: str
    link_text: str


def change_headline(series: Series, figures: list[Figure]) -> Headline | None:
    line = sorted((f for f in figures if series.matches(f)), key=lambda f: f.period.start)
    if not line:
        return None
    first, latest = line[0], line[-1]
    peak = max(line, key=lambda f: f.value)
    sentences = []
    if first is not latest:
        sentences.append(
            f"That {describe_change(first.value, latest.value)} from {first.display_value} in {first.period.label}."
        )
    if peak is not latest and peak is not first:
        sentences.append(f"The highest figure was {peak.display_value} in {peak.period.label}.")
    return Headline(
        label=series.label,
        value=latest.display_value,
        what=f"offences recorded in {latest.period.label}",
        detail=f"Offence: {latest.offence.name}",
        sentences=sentences,
        sources=sources_of([first, peak, latest]),
        link=series.trend_url,
        link_text=f"See the trend for {latest.geography.name}",
    )


def platform_headline(figures: list[Figure]) -> Headline | None:
    """The platform most often recorded in the latest national release, with its denominator."""
    national = [f for f in figures if f.geography.level == "country" and not f.is_superseded]
    shares = [f for f in national if f.measure.per_platform and f.platform.is_grouping is False]
    if not shares:
        return None
    latest_start = max(f.period.start for f in shares)
    latest = [f for f in shares if f.period.start == latest_start]
    top = max(latest, key=lambda f: f.value)
    denominator = next(
        (
            f
            for f in national
            if f.measure_id == top.measure.denominator_id
            and (f.geography_id, f.period_id, f.offence_id) == (top.geography_id, top.period_id, top.offence_id)
        ),
        None,
    )
    of_what = (
        f"of the {denominator.display_value} offences where police recorded the platform"
        if denominator
        else "of the offences where police recorded the platform (their number was not published)"
    )
    return Headline(
        label="The platform most often recorded",
        value=top.platform.name,
        what=f"in {top.period.label}, {top.geography.name}",
        detail=f"Offence: {top.offence.name}",
        sentences=[
            f"It was recorded in {top.display_value} {of_what}.",
            "One offence can involve several platforms.",
        ],
        sources=sources_of([top, *([denominator] if denominator else [])]),
        link=reverse("platforms"),
        link_text="See every platform share",
    )
