"""Plain words about numbers, generated from the data, never typed into a template.

Every sentence that states a change is written here, so the home page's headlines and
every card's summary follow the same rules: the latest change first, then the longer
run; missing years, part-years, changed coverage and restatements said out loud.
Checked against the figures the press used: 202 against 23 is "rose almost nine-fold",
457 against 194 "more than doubled".
"""

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from stats.caveats import NUMBER_WORDS
from stats.caveats import part_year_sentence as caveat_part_year
from stats.spans import year_label

_MULTIPLES = {2: "doubled", 3: "tripled", 4: "quadrupled"}


def describe_change(old: Decimal | int, new: Decimal | int) -> str:
    """A verb phrase for the change from old to new: 'more than doubled', 'fell by 12%'."""
    old, new = Decimal(old), Decimal(new)
    if old <= 0:
        return "rose from zero" if new > 0 else "stayed at zero"
    ratio = new / old
    if ratio >= 2:
        whole = int(ratio)
        if ratio == whole:
            return _multiple(whole, "")
        if ratio - whole >= Decimal("0.75"):
            return _multiple(whole + 1, "almost ")
        return _multiple(whole, "more than ")
    if ratio >= Decimal("1.9"):
        return "almost doubled"
    if ratio > Decimal("1.025"):
        return f"rose by {_percent(ratio - 1)}"
    if ratio >= Decimal("0.975"):
        return "stayed about the same"
    if ratio <= Decimal("0.5"):
        return "more than halved" if ratio < Decimal("0.5") else "halved"
    return f"fell by {_percent(1 - ratio)}"


def _multiple(times: int, qualifier: str) -> str:
    if times in _MULTIPLES:
        return f"{qualifier}{_MULTIPLES[times]}"
    return f"rose {qualifier}{NUMBER_WORDS[times] if times <= 10 else times}-fold"


def _percent(share: Decimal) -> str:
    return f"{round(share * 100):,}%"


# Names that start with a word written like an ordinary one: inside a sentence they keep their
# capital ("figures for England", never "figures for england"). Acronyms and names such as
# "NSPCC" or "88A" keep theirs anyway, because their second letter is a capital or a digit.
PROPER_NAMES = (
    "England",
    "Wales",
    "Scotland",
    "Northern Ireland",
    "United Kingdom",
    "Home Office",
    "West Midlands",
    "Police Scotland",
    "Childline",
    "Office for National Statistics",
)


def in_sentence(name: str, proper_names: Iterable[str] = ()) -> str:
    """A name inside a sentence: only its first letter may be lowered, and only when the first
    word is an ordinary one. 'Offences recorded' -> 'offences recorded'; 'Sexual grooming
    (Home Office 88A)' -> 'sexual grooming (Home Office 88A)'; 'NSPCC figures', 'England and
    Wales' and any of `proper_names` (a platform, a force) stay as they are.

    The one rule for lowering a name: never `.lower()` a whole name, which turned
    'Home Office 88A' into 'home office 88a'."""
    first = name.partition(" ")[0]
    if len(first) < 2 or not first[1:].islower() or not first[0].isupper():
        return name
    for proper in (*PROPER_NAMES, *proper_names):
        if name == proper or name.startswith(f"{proper} "):
            return name
    return name[0].lower() + name[1:]


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def join_words(items: Iterable[str], last: str = "and") -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


@dataclass(frozen=True)
class Point:
    """One value of a series as the words need it."""

    label: str  # "2023/24"
    shown: str  # the value as written: "457", "about 40%", "2.4"
    value: Decimal
    kind: str  # the kind of period: financial or calendar year
    start: dt.date
    coverage: str = ""
    months_covered: int | None = None  # for a part-year, about how many months it covers
    in_force: dt.date | None = None  # when the offence began, for a part-year


def change_sentences(subject: str, points: list[Point]) -> list[str]:
    """The latest change first (from the previous period with data), then the longer run;
    with missing periods, part-year bases and changed coverage said out loud."""
    if not points:
        return [f"{subject}: no figure can be given for these years; the table says why."]
    latest = points[-1]
    if len(points) == 1:
        return [f"{subject} stood at {latest.shown} in {latest.label}, the only yearly figure published."]
    previous, first = points[-2], points[0]
    sentences = [
        f"{subject} {describe_change(previous.value, latest.value)}, from {previous.shown} in {previous.label} "
        f"to {latest.shown} in {latest.label}{_gap(previous, latest)}."
    ]
    if first is not previous:
        sentences.append(
            f"Since {first.label}, the first year published ({first.shown}), it "
            f"{describe_change(first.value, latest.value)}."
        )
    base = first if first is not previous else previous
    if base.months_covered:
        sentences.append(part_year_sentence(base))
    sentences.extend(dip_sentences(points))
    missing = missing_periods(points)
    if missing and len(points) > 2:
        sentences.append(f"No figure was published for {join_words(missing, 'or')}.")
    sentences.extend(coverage_sentences(points))
    return sentences


def dip_sentences(points: list[Point]) -> list[str]:
    """A year under half of both its neighbours is said out loud: it is more often a force's
    incomplete return than a real fall (Hampshire's 18 in 2020/21, between 291 and 279)."""
    dips = [
        (before, point, after)
        for before, point, after in zip(points, points[1:], points[2:], strict=False)
        if point.value * 2 < before.value and point.value * 2 < after.value
    ]
    return [
        f"The {point.label} figure ({point.shown}) is less than half the figures either side of it "
        f"({before.shown} in {before.label}, {after.shown} in {after.label}): read the source's note before using it."
        for before, point, after in dips
    ]


def part_year_sentence(point: Point) -> str:
    return caveat_part_year(point.label, point.months_covered, point.in_force)


def coverage_sentences(points: list[Point]) -> list[str]:
    """Coverage said when the periods that state it differ."""
    stated = [p for p in points if p.coverage]
    if len({p.coverage for p in stated}) < 2:
        return []
    return [f"The forces counted changed: {join_words([f'{p.coverage} in {p.label}' for p in stated])}."]


def _gap(previous: Point, latest: Point) -> str:
    missing = missing_periods([previous, latest])
    if not missing:
        return ""
    return f" (no figure was published for {join_words(missing, 'or')})"


def missing_periods(points: list[Point]) -> list[str]:
    """The years with no figure between consecutive points of one line, as label ranges."""
    ranges = []
    for before, after in itertools.pairwise(points):
        years = list(range(before.start.year + 1, after.start.year))
        if years:
            first, last = year_label(before.kind, years[0]), year_label(before.kind, years[-1])
            ranges.append(first if first == last else f"{first} to {last}")
    return ranges
