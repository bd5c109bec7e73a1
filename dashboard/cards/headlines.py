"""The home page's headline figures: which series they come from, and their sentences.

The choice of series is editorial and lives here; every number and every word of
change is computed from the figures (dashboard.words), so a new release updates them.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from dashboard.cards.trend import OFFENCES_RECORDED
from dashboard.words import Point, change_sentences, coverage_sentences, in_sentence
from stats.records import FigureRecord, Publication, sources_of
from stats.spans import CALENDAR_YEAR, FINANCIAL_YEAR

SEXUAL_COMMUNICATION = "sexual-communication-with-a-child"


@dataclass(frozen=True)
class Series:
    label: str
    geography: str
    offence: str
    kind: str
    measure: str = OFFENCES_RECORDED

    def matches(self, figure: FigureRecord) -> bool:
        return (
            figure.area_code == self.geography
            and figure.offence_slug == self.offence
            and figure.measure_slug == self.measure
            and figure.period.kind == self.kind
            and not figure.is_superseded
        )

    @property
    def trend_url(self) -> str:
        query = urlencode({"geography": self.geography, "offence": self.offence, "measure": self.measure})
        return f"{reverse('trends')}?{query}"


HEADLINE_SERIES = [
    Series("Across the UK", "K02000001", SEXUAL_COMMUNICATION, FINANCIAL_YEAR),
    Series("West Midlands Police", "E23000014", "online-grooming", CALENDAR_YEAR),
    Series("The four West Midlands forces", "E12000005", SEXUAL_COMMUNICATION, FINANCIAL_YEAR),
]


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    what: str
    detail: str
    sentences: list[str]
    sources: list[Publication]
    link: str
    link_text: str


def change_headline(series: Series, figures: list[FigureRecord]) -> Headline | None:
    line = sorted((f for f in figures if series.matches(f)), key=lambda f: f.period.start)
    if not line:
        return None
    latest = line[-1]
    points = [
        Point(
            f.period.label,
            f.display_value,
            f.value,
            f.period.kind,
            f.period.start,
            f.coverage,
            f.months_covered,
            f.offence_in_force,
        )
        for f in line
    ]
    sentences = change_sentences("The count", points) if len(points) > 1 else []
    if latest.coverage and not coverage_sentences(points):  # else the change of coverage is said already
        sentences.append(f"It covers {latest.coverage}.")
    return Headline(
        label=series.label,
        value=latest.display_value,
        what=f"{in_sentence(latest.measure_name)} in {latest.period.label}",
        detail=f"Offence: {latest.offence_name}",
        sentences=sentences,
        sources=sources_of(line),
        link=series.trend_url,
        link_text=f"See the trend for {latest.area_name}",
    )


def platform_headline(figures: list[FigureRecord]) -> Headline | None:
    """The platform most often recorded in the latest national publication, with its denominator."""
    national = [f for f in figures if f.area_level == "country" and not f.is_superseded]
    shares = [f for f in national if f.platform_slug and not f.platform_is_grouping]
    if not shares:
        return None
    latest_start = max(f.period.start for f in shares)
    latest = [f for f in shares if f.period.start == latest_start]
    top = max(latest, key=lambda f: f.value)
    denominator = next(
        (f for f in national if f.measure_slug == top.denominator_slug and f.case_key == top.case_key),
        None,
    )
    of_what = (
        f"of the {denominator.display_value} offences where police recorded the platform"
        if denominator
        else "of the offences where police recorded the platform (their number was not published)"
    )
    return Headline(
        label="The platform most often recorded",
        value=top.platform_name,
        what=f"in {top.period.label}, {top.area_name}",
        detail=f"Offence: {top.offence_name}",
        sentences=[f"It was recorded in {top.display_value} {of_what}.", "One offence can involve several platforms."],
        sources=sources_of([top, *([denominator] if denominator else [])]),
        link=reverse("platforms"),
        link_text="See every platform share",
    )
