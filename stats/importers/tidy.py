"""Our tidy format: one figure per row.

Columns: geography_code, period_label, period_start, period_end, offence, measure,
platform, value, unit, note, and optionally qualifier (the source's own precision word,
such as "about") and coverage (which forces a count covers). The seed file and (later) admin uploads share this
parser, so a figure is checked the same way whichever door it comes in by.
"""

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from stats.importers.files import Sheet
from stats.importers.results import ImportResult, Layout, read_table
from stats.importers.rows import (
    BOUND_OF_UNIT,
    CellError,
    check_length,
    parse_amount,
    parse_note,
    parse_period_date,
    required,
)
from stats.models.periods import Period
from stats.numbers import QUALIFIERS
from stats.spans import KIND_NAMES, kind_of_span, standard_label

OPTIONAL_COLUMNS = ("platform", "note", "qualifier", "coverage")
LONGEST_LABEL = Period._meta.get_field("label").max_length  # a longer label would crash the publish
FIGURE_COLUMNS = (
    "geography_code",
    "period_label",
    "period_start",
    "period_end",
    "offence",
    "measure",
    "platform",
    "value",
    "unit",
    "note",
    "qualifier",
    "coverage",
)
LONGEST_COVERAGE = 200


@dataclass(frozen=True)
class PeriodSpan:
    label: str
    start: dt.date
    end: dt.date
    kind: str


@dataclass(frozen=True)
class MeasureRule:
    unit: str
    per_platform: bool


@dataclass(frozen=True)
class Vocabulary:
    """The codes and slugs a figure row may use, with what each implies."""

    geographies: dict[str, str]  # ONS code -> name
    offences: dict[str, str]  # slug -> name
    measures: dict[str, MeasureRule]
    platforms: dict[str, str]  # name as written in files -> slug


@dataclass(frozen=True)
class FigureRow:
    geography_code: str
    period: PeriodSpan
    offence: str
    measure: str
    platform: str  # slug, or "" when the measure is not per platform
    value: Decimal
    unit: str
    note: str
    qualifier: str = ""  # one of stats.numbers.QUALIFIERS, or "" for an exact value
    coverage: str = ""

    @property
    def series_key(self) -> tuple:
        return (self.geography_code, self.period.start, self.period.end, self.offence, self.measure, self.platform)


def parse_period(row: dict[str, str]) -> PeriodSpan:
    label = check_length("period_label", required(row, "period_label"), LONGEST_LABEL)
    start, end = parse_period_date(row, "period_start"), parse_period_date(row, "period_end")
    if end < start:
        raise CellError("period_end", row["period_end"], f"is before period_start {start}")
    expected = standard_label(start, end)
    if expected is not None and label != expected:
        kind = KIND_NAMES[kind_of_span(start, end)].lower()
        raise CellError("period_label", label, f"should be '{expected}' for the {kind} {start} to {end}")
    return PeriodSpan(label=label, start=start, end=end, kind=kind_of_span(start, end))


def parse_figure(row: dict[str, str], vocabulary: Vocabulary) -> FigureRow:
    code = required(row, "geography_code")
    if code not in vocabulary.geographies:
        raise CellError("geography_code", code, "is not a known area code" + did_you_mean(code, vocabulary.geographies))
    offence = required(row, "offence")
    if offence not in vocabulary.offences:
        raise CellError("offence", offence, _not_one_of("offence", offence, vocabulary.offences))
    measure = required(row, "measure")
    rule = vocabulary.measures.get(measure)
    if rule is None:
        raise CellError("measure", measure, _not_one_of("measure", measure, dict.fromkeys(vocabulary.measures, "")))
    platform = _parse_platform(row, rule, vocabulary)
    unit = required(row, "unit")
    if unit != rule.unit:
        raise CellError("unit", unit, f"should be '{rule.unit}' for the measure {measure}")
    value = parse_amount("value", row.get("value", ""), BOUND_OF_UNIT[unit])
    return FigureRow(
        geography_code=code,
        period=parse_period(row),
        offence=offence,
        measure=measure,
        platform=platform,
        value=value,
        unit=unit,
        note=parse_note(row),
        qualifier=_parse_qualifier(row),
        coverage=check_length("coverage", row.get("coverage", ""), LONGEST_COVERAGE),
    )


def _parse_qualifier(row: dict[str, str]) -> str:
    word = row.get("qualifier", "").strip().lower()
    if word and word not in QUALIFIERS:
        raise CellError("qualifier", row["qualifier"], f"should be empty or one of: {', '.join(QUALIFIERS)}")
    return word


def _parse_platform(row: dict[str, str], rule: MeasureRule, vocabulary: Vocabulary) -> str:
    name = row.get("platform", "")
    if not rule.per_platform:
        if name:
            raise CellError("platform", name, "should be empty: this measure is not per platform")
        return ""
    if not name:
        raise CellError("platform", name, "is empty; platform shares must name the platform")
    slug = vocabulary.platforms.get(name) or (name if name in vocabulary.platforms.values() else None)
    if slug is None:
        raise CellError("platform", name, _not_one_of("platform", name, dict.fromkeys(vocabulary.platforms, "")))
    return slug


def _not_one_of(what: str, value: str, known: dict[str, str]) -> str:
    hint = did_you_mean(value, known)
    return f"is not a known {what}" + (hint or f" (use one of: {', '.join(sorted(known))})")


def did_you_mean(value: str, names: dict[str, str]) -> str:
    """' — did you mean E23000014 West Midlands Police?' for a near miss, else ''."""
    candidates = {key.lower(): key for key in names} | {name.lower(): key for key, name in names.items() if name}
    close = difflib.get_close_matches(value.strip().lower(), list(candidates), n=1, cutoff=0.75)
    if not close:
        return ""
    key = candidates[close[0]]
    label = f"{key} {names[key]}" if names[key] else key
    return f" — did you mean {label}?"


TIDY = Layout(
    columns=FIGURE_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    same_item="the same area, period, offence, measure and platform",
    items="figures",
)


def read_tidy(sheets: Iterable[Sheet], vocabulary: Vocabulary) -> ImportResult:
    return read_table(sheets, TIDY, lambda row: parse_figure(row, vocabulary))
