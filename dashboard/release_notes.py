"""Release notes: what each release changed, in words, for "What's new" and its Atom feed.

A release's counts come from one grouped query and its first few figure changes from one
windowed query, whatever the number of releases or changes, so a page of 20 releases
(one of which may add 550 Home Office figures) costs the same few queries as a page of one.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dashboard.words import in_sentence
from stats.models import Change, Release
from stats.numbers import format_value

# The kinds of release as a reader would say them.
KIND_WORDS = {
    Release.Kind.SEED: "Data shipped with the dashboard",
    Release.Kind.BASELINE: "Data already here when numbered releases began",
    Release.Kind.UPLOAD: "New data",
    Release.Kind.CORRECTION: "Correction",
    Release.Kind.WITHDRAWAL: "Withdrawal of an earlier release",
}

# What a change did to a figure, short enough for a table cell.
CHANGE_WORDS = {
    Change.Kind.NEW: "Added",
    Change.Kind.RESTATED: "Revised by a later publication",
    Change.Kind.EARLIER: "Added as an earlier publication, kept as a revision",
    Change.Kind.CORRECTED: "Corrected",
    Change.Kind.WITHDRAWN: "Withdrawn",
    Change.Kind.RESTORED: "Put back",
}

# A release's tally, in this order: "{n} {things}" for each kind of change it made.
TALLY = (
    (Change.Kind.NEW, "{n} new {things}"),
    (Change.Kind.RESTATED, "{n} {things} revised by a later publication"),
    (Change.Kind.EARLIER, "{n} {things} from earlier publications, kept as revisions"),
    (Change.Kind.CORRECTED, "{n} {things} corrected"),
    (Change.Kind.WITHDRAWN, "{n} {things} withdrawn"),
    (Change.Kind.RESTORED, "{n} {things} put back"),
)

CHANGES_SHOWN = 5  # per release on the list; the rest are a link away


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One figure a release changed, said in words, with the link to its permanent page."""

    figure_id: int
    kind: str
    what_happened: str
    area: str
    period: str
    what: str  # the measure, platform and offence
    source: str  # who published it and when: two sources may give the same series
    before: str  # the value it replaced or withdrew, formatted; "" when there was none
    after: str  # the value now on the dashboard from this change; "" when withdrawn


@dataclass(frozen=True, slots=True)
class ReleaseNote:
    number: int
    published_at: dt.datetime  # aware; templates show it in Europe/London
    kind: str
    summary: str
    reason: str
    withdraws: int | None  # the release this one withdrew
    withdrawn_by: int | None  # the release that withdrew this one
    withdrawn_at: dt.datetime | None
    figure_counts: dict[str, int] = field(default_factory=dict)  # change kind -> figures
    estimate_counts: dict[str, int] = field(default_factory=dict)
    changes: list[ChangeLine] = field(default_factory=list)  # the first few figure changes

    @property
    def anchor(self) -> str:
        """Its id on the list of releases: /whats-new/#release-12."""
        return f"release-{self.number}"

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)

    @property
    def title(self) -> str:
        """What the release is, after its number. A seed release's summary says what it ships,
        in words of its own (stats/seed/releases.csv), so that is its title: its kind alone
        would give every seed release the same one."""
        if self.kind == Release.Kind.SEED and self.summary:
            return self.summary
        return self.kind_words

    @property
    def summary_line(self) -> str:
        """The summary under the title, unless it is the title."""
        return "" if self.title == self.summary else self.summary

    @property
    def local_date(self) -> dt.date:
        return timezone.localdate(self.published_at)

    @property
    def updated_at(self) -> dt.datetime:
        """When what we say about the release last changed: its withdrawal, if any, else its publication."""
        return self.withdrawn_at or self.published_at

    @property
    def figures_changed(self) -> int:
        return sum(self.figure_counts.values())

    @property
    def more_changes(self) -> int:
        """How many figure changes are not among `changes`."""
        return self.figures_changed - len(self.changes)

    @property
    def changes_caption(self) -> str:
        if self.more_changes:
            return (
                f"The first {len(self.changes)} of the {self.figures_changed:,} figures release {self.number} changed"
            )
        return f"The figures release {self.number} changed"

    @property
    def tally(self) -> str:
        """'11 new figures; 1 figure corrected; 499 new population estimates', or '' for none, and
        '' when the summary already says every one of them ('67 new figures for 10 areas; ...'):
        a page says each count once."""
        figures, estimates = (
            _tally_parts(self.figure_counts, "figure"),
            _tally_parts(self.estimate_counts, "population estimate"),
        )
        if all(_says(self.summary, part) for part in figures + estimates):
            return ""
        return "; ".join(", ".join(parts) for parts in (figures, estimates) if parts)

    def as_text(self) -> str:
        """The release in plain text, for the feed: what, when, why, and what happened to it since."""
        lines = [f"{self.kind_words}, published on this dashboard on {_day(self.local_date)}.", self.summary]
        if self.tally:
            lines.append(f"Changes: {self.tally}.")
        if self.reason:
            lines.append(f"Reason: {self.reason}")
        if self.withdraws:
            lines.append(f"This release withdrew release {self.withdraws}.")
        if self.withdrawn_by:
            lines.append(f"Release {self.withdrawn_by} withdrew this release.")
        return "\n\n".join(lines)


def releases() -> QuerySet[Release]:
    """Every release, newest first, with the releases it withdrew or was withdrawn by: one query a page."""
    return Release.objects.select_related("withdraws", "withdrawn_by").order_by("-number")


def notes_for(page: list[Release], *, changes_shown: int = CHANGES_SHOWN) -> list[ReleaseNote]:
    """The notes for these releases: two queries whatever their number or size."""
    numbers = [release.number for release in page]
    counts = _counts(numbers)
    lines = _first_changes(numbers, changes_shown) if changes_shown else {}
    return [
        ReleaseNote(
            number=release.number,
            published_at=release.published_at,
            kind=release.kind,
            summary=release.summary,
            reason=release.reason,
            withdraws=release.withdraws_id,
            withdrawn_by=release.withdrawn_by.number if release.is_withdrawn else None,
            withdrawn_at=release.withdrawn_by.published_at if release.is_withdrawn else None,
            figure_counts=counts["figures"].get(release.number, {}),
            estimate_counts=counts["estimates"].get(release.number, {}),
            changes=lines.get(release.number, []),
        )
        for release in page
    ]


def figure_changes(release: Release) -> QuerySet[Change]:
    """Every figure one release changed, in the order it changed them (paginate it)."""
    return _with_figures(Change.objects.filter(release=release, figure__isnull=False)).order_by("pk")


def change_line(change: Change) -> ChangeLine:
    figure = change.figure
    what = figure.measure.name
    if figure.platform is not None:
        what = f"{what}: {figure.platform.name}"
    what = f"{what} ({in_sentence(figure.offence.name)})"
    before = after = ""
    if change.old_value is not None:
        qualifier = change.previous.qualifier if change.previous is not None else figure.qualifier
        before = format_value(change.old_value, figure.unit, qualifier)
    if change.new_value is not None:
        after = format_value(change.new_value, figure.unit, figure.qualifier)
    return ChangeLine(
        figure_id=figure.pk,
        kind=change.kind,
        what_happened=CHANGE_WORDS.get(change.kind, change.kind),
        area=figure.geography.name,
        period=figure.period.label,
        what=what,
        source=f"{figure.source.publisher}, {figure.source.published_label}",
        before=before,
        after=after,
    )


def _with_figures(changes: QuerySet[Change]) -> QuerySet[Change]:
    return changes.select_related(
        "figure__geography",
        "figure__period",
        "figure__offence",
        "figure__measure",
        "figure__platform",
        "figure__source",
        "previous",
    )


def _first_changes(numbers: list[int], shown: int) -> dict[int, list[ChangeLine]]:
    """The first `shown` figure changes of each release, in one query."""
    place = Window(RowNumber(), partition_by=[F("release")], order_by=F("pk").asc())
    changes = (
        _with_figures(Change.objects.filter(release__in=numbers, figure__isnull=False))
        .annotate(place=place)
        .filter(place__lte=shown)
        .order_by("release", "pk")
    )
    lines: dict[int, list[ChangeLine]] = defaultdict(list)
    for change in changes:
        lines[change.release_id].append(change_line(change))
    return lines


def _counts(numbers: list[int]) -> dict[str, dict[int, dict[str, int]]]:
    """How many figures and estimates each release changed, by kind of change, in one query."""
    counts: dict[str, dict[int, dict[str, int]]] = {"figures": defaultdict(dict), "estimates": defaultdict(dict)}
    rows = (
        Change.objects.filter(release__in=numbers)
        .values("release", "kind")
        .annotate(figures=Count("pk", filter=Q(figure__isnull=False)), estimates=Count("pk", filter=Q(figure=None)))
        .order_by()
    )
    for row in rows:
        for dataset in ("figures", "estimates"):
            if row[dataset]:
                counts[dataset][row["release"]][row["kind"]] = row[dataset]
    return counts


def _tally_parts(counts: dict[str, int], noun: str) -> list[str]:
    return [
        words.format(n=f"{n:,}", things=noun if n == 1 else f"{noun}s")
        for kind, words in TALLY
        if (n := counts.get(kind, 0))
    ]


def _says(text: str, words: str) -> bool:
    """Whether `text` says `words` as they stand: '11 new figures' does not say '1 new figure'."""
    return re.search(rf"(?<![\d,]){re.escape(words)}\b", text) is not None


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
