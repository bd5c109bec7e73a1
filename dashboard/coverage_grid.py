"""/coverage/: which areas and years we hold figures for, offence by offence, as a grid.

Built from plain rows (the figures held, `Figure.objects.held_by_area_and_period`, and the
areas), so it never touches the database: rows are the police force areas, then the nations
policed by one force each, then a second table of the wider areas; columns are the single
years with any figure, calendar and financial years apart; each cell names the offences with
a figure, by the short labels below, each linked to its figure's page.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from dashboard.words import in_sentence, join_words, plural
from stats.records import FIGURE_PATH, Span
from stats.spans import CALENDAR_YEAR, FINANCIAL_YEAR, OTHER

# The short label of each offence in a cell, named in full by the key above the table. An
# offence added later and not named here is shown by its full name, which is never wrong.
SHORT_LABELS = {
    "sexual-communication-with-a-child": "s.15A",
    "sexual-grooming": "88A",
    "communicating-indecently-with-a-child": "CIC",
    "online-grooming": "WMP",
}
# What a column's heading says under its label, so that 2017 and 2017/18 are told apart at a glance.
MONTHS = {FINANCIAL_YEAR: "Apr\u2013Mar", CALENDAR_YEAR: "Jan\u2013Dec"}
KIND_WORDS = {FINANCIAL_YEAR: "financial year", CALENDAR_YEAR: "calendar year"}
MONTHS_IN_WORDS = {FINANCIAL_YEAR: "April to March", CALENDAR_YEAR: "January to December"}
# Geography levels, as stored (stats.models.Geography.Level), named here to keep this module free of the ORM.
COUNTRY, NATION, REGION, FORCE = "country", "nation", "region", "police_force_area"
CSV_FIELDS = ["area_code", "area_name", "group"]
LABEL_SEPARATOR = "; "  # between two offences' labels in one cell of the CSV


class Held(NamedTuple):
    """One current figure we hold: where, when, which offence, and its id."""

    area_code: str
    period: Span
    offence_slug: str
    offence_name: str
    figure_id: int


class Area(NamedTuple):
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class Year:
    """A column: one financial or calendar year, labelled as published."""

    label: str
    kind: str
    start: dt.date

    @property
    def months(self) -> str:
        return MONTHS[self.kind]

    @property
    def kind_words(self) -> str:
        return KIND_WORDS[self.kind]


@dataclass(frozen=True)
class Mark:
    """One offence's figure in a cell: its short label and the figure's permanent page."""

    offence_slug: str
    label: str
    offence_name: str
    url: str


class Cell(NamedTuple):
    year: Year
    marks: list[Mark]  # none: a gap


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    cells: list[Cell]  # one per column, in column order

    @property
    def held(self) -> int:
        """How many of its years have at least one figure."""
        return sum(1 for cell in self.cells if cell.marks)


@dataclass(frozen=True)
class RowGroup:
    heading: str
    rows: list[GridRow]


@dataclass(frozen=True)
class Table:
    slug: str  # the table's anchor and the start of its element ids
    heading: str
    caption: str
    summary: str
    groups: list[RowGroup]

    @property
    def rows(self) -> list[GridRow]:
        return [row for group in self.groups for row in group.rows]


@dataclass(frozen=True)
class KeyEntry:
    label: str
    offence_name: str


@dataclass(frozen=True)
class CoverageGrid:
    columns: list[Year]
    tables: list[Table]
    key: list[KeyEntry]
    summary: list[str]  # said above the tables
    notes: list[str] = field(default_factory=list)  # how to read the columns, and what is left out

    @property
    def filename(self) -> str:
        """What the CSV is called: what it holds and the years it spans."""
        if not self.columns:
            return "what-we-hold-by-area-and-year"
        first, last = self.columns[0].start.year, max(_end_year(year) for year in self.columns)
        return f"what-we-hold-by-area-and-year-{first}" + (f"-{last}" if last != first else "")

    def csv_columns(self) -> list[str]:
        return CSV_FIELDS + [year.label for year in self.columns]

    def csv_rows(self) -> list[dict[str, object]]:
        """The grid as the CSV gives it: one row per area, one column per year, each cell the
        labels of the offences with a figure (empty where there is none)."""
        return [
            {
                "area_code": row.code,
                "area_name": row.name,
                "group": group.heading,
                **{cell.year.label: LABEL_SEPARATOR.join(mark.label for mark in cell.marks) for cell in row.cells},
            }
            for table in self.tables
            for group in table.groups
            for row in group.rows
        ]


def coverage_grid(held: Iterable[tuple], areas: Iterable[tuple], *, nation_order: Sequence[str] = ()) -> CoverageGrid:
    """The grid of the figures `held` (rows of Held) in `areas` (rows of Area, in name order).
    `nation_order` is the order nations are listed in ("England", "Wales", ...); others follow by name."""
    held = [Held._make(row) for row in held]
    areas = [Area._make(row) for row in areas]
    single_years = [figure for figure in held if figure.period.kind != OTHER]
    columns = sorted({Year(f.period.label, f.period.kind, f.period.start) for f in single_years}, key=_in_time)
    offences = {f.offence_slug: f.offence_name for f in held}
    labels = _labels(offences)
    rank = {slug: n for n, slug in enumerate(labels)}
    by_cell: dict[tuple[str, str], list[Held]] = {}
    for figure in sorted(single_years, key=lambda f: rank[f.offence_slug]):
        by_cell.setdefault((figure.area_code, figure.period.label), []).append(figure)

    def row_of(area: Area) -> GridRow:
        cells = [
            Cell(
                year,
                [
                    Mark(f.offence_slug, labels[f.offence_slug], f.offence_name, FIGURE_PATH.format(f.figure_id))
                    for f in by_cell.get((area.code, year.label), [])
                ],
            )
            for year in columns
        ]
        return GridRow(area.code, area.name, cells)

    by_code = {area.code: area for area in areas}
    has_parts = {area.parent_code for area in areas}
    nation_rank = {name: n for n, name in enumerate(nation_order)}
    nations = sorted(
        (a for a in areas if a.level == NATION), key=lambda a: (nation_rank.get(a.name, len(nation_rank)), a.name)
    )
    forces = [area for area in areas if area.level == FORCE]
    of_forces = {nation.code for force in forces if (nation := _nation_of(force, by_code))}
    # Scotland and Northern Ireland are each one police force's area, with no areas of ours inside them.
    single_force = [nation for nation in nations if nation.code not in has_parts]
    wider_nations = [nation for nation in nations if nation.code in has_parts]

    force_groups = []
    if forces:
        heading = f"Police force areas{_of(n.name for n in nations if n.code in of_forces)}"
        force_groups.append(RowGroup(heading, [row_of(area) for area in forces]))
    if single_force:
        each = ", each policed by one force" if len(single_force) > 1 else ", policed by one force"
        force_groups.append(RowGroup(join_words(n.name for n in single_force) + each, list(map(row_of, single_force))))

    countries = sorted((a for a in areas if a.level == COUNTRY), key=lambda a: (a.parent_code is not None, a.name))
    regions = [area for area in areas if area.level == REGION]
    wider_groups = []
    if countries or wider_nations:
        wider_groups.append(RowGroup("Countries and nations", [row_of(a) for a in [*countries, *wider_nations]]))
    if regions:
        parents = dict.fromkeys(by_code[r.parent_code].name for r in regions if r.parent_code in by_code)
        wider_groups.append(RowGroup(f"Regions{_of(parents)}", [row_of(area) for area in regions]))

    tables = []
    force_rows = [row for group in force_groups for row in group.rows]
    if force_rows:
        heading = join_words(["Police force areas", *(nation.name for nation in single_force)])
        # The page's summary above is about this table: it has no sentence of its own.
        tables.append(Table("police-force-areas", heading, _caption(heading), "", force_groups))
    wider_rows = [row for group in wider_groups for row in group.rows]
    if wider_rows:
        heading = "The UK, its nations and regions"
        tables.append(Table("wider-areas", heading, _caption(heading), _areas_sentence(wider_rows), wider_groups))
    shown = {mark.offence_slug for table in tables for row in table.rows for cell in row.cells for mark in cell.marks}
    return CoverageGrid(
        columns=columns,
        tables=tables,
        key=[KeyEntry(label, offences[slug]) for slug, label in labels.items() if slug in shown],
        summary=_summary(force_rows, columns),
        notes=_notes(columns, [f for f in held if f.period.kind == OTHER]),
    )


def _labels(offences: dict[str, str]) -> dict[str, str]:
    """Each offence's short label, in the order of SHORT_LABELS, then any others by name."""
    known = [slug for slug in SHORT_LABELS if slug in offences]
    others = sorted((slug for slug in offences if slug not in SHORT_LABELS), key=offences.__getitem__)
    return {slug: SHORT_LABELS.get(slug, offences[slug]) for slug in [*known, *others]}


def _summary(rows: list[GridRow], columns: list[Year]) -> list[str]:
    """'45 areas and 13 years, from 2014/15 to 2024/25: every one of the 45 areas has at least one
    figure; 2017/18 is the year with the most areas (all 45), and no other year has more than 10.'
    then how many of the cells are filled, and the latest year's."""
    if not columns:
        return ["We hold no figures of offences recorded for any single year yet."]
    if not rows:
        return [f"We hold figures for {plural(len(columns), 'year')}, but for no police force area."]
    span = f"from {columns[0].label} to {columns[-1].label}" if len(columns) > 1 else f"for {columns[0].label}"
    per_year = {year: sum(1 for row in rows if row.cells[i].marks) for i, year in enumerate(columns)}
    most = max(per_year.values())
    busiest = [year for year, count in per_year.items() if count == most]
    how_many = f"all {most:,}" if most == len(rows) > 1 else f"{most:,}"
    if len(busiest) == 1:
        busiest_words = f"{busiest[0].label} is the year with the most areas ({how_many})"
    else:
        busiest_words = f"{join_words(y.label for y in busiest)} are the years with the most areas ({how_many} each)"
    runner_up = max((count for count in per_year.values() if count < most), default=None)
    if runner_up is not None:
        busiest_words += f", and no other year has more than {runner_up:,}"
    sentences = [
        f"{plural(len(rows), 'area')} and {plural(len(columns), 'year')}, {span}: "
        f"{_with_a_figure(rows, 'area')}; {busiest_words}."
    ]
    filled, cells = sum(per_year.values()), len(rows) * len(columns)
    latest = columns[-1]
    filled_words = (
        f"{filled:,} of the {cells:,} area-years (one area in one year) {'has' if filled == 1 else 'have'} a figure"
    )
    if latest not in busiest:
        filled_words += f"; the latest year, {latest.label}, has figures for {plural(per_year[latest], 'area')}"
    sentences.append(f"{filled_words}.")
    without = [row.name for row in rows if not row.held]
    if 0 < len(without) <= 5:
        sentences.append(f"{join_words(without)} {'has' if len(without) == 1 else 'have'} no figure for any year.")
    return sentences


def _caption(heading: str) -> str:
    return f"Figures we hold for {in_sentence(heading)}, by year"


def _areas_sentence(rows: list[GridRow]) -> str:
    words = _with_a_figure(rows, "area")
    return f"{words[0].upper()}{words[1:]}."


def _with_a_figure(rows: list[GridRow], noun: str) -> str:
    """'every one of the 45 areas has at least one figure', '43 of the 45 areas have at least one figure'."""
    total, held = len(rows), sum(1 for row in rows if row.held)
    if total == 1:
        return f"the {noun} has {'at least one figure' if held else 'no figure yet'}"
    if held == total:
        return f"every one of the {plural(total, noun)} has at least one figure"
    if held == 0:
        return f"none of the {plural(total, noun)} has a figure yet"
    return f"{held:,} of the {plural(total, noun)} {'has' if held == 1 else 'have'} at least one figure"


def _notes(columns: list[Year], others: list[Held]) -> list[str]:
    notes = []
    calendar = [year.label for year in columns if year.kind == CALENDAR_YEAR]
    if calendar and len(calendar) < len(columns):
        notes.append(
            f"Calendar years ({MONTHS_IN_WORDS[CALENDAR_YEAR]}: {join_words(calendar)}) and financial years "
            f"({MONTHS_IN_WORDS[FINANCIAL_YEAR]}) are separate columns, never merged: they overlap, so a calendar "
            "year\u2019s figure and a financial year\u2019s cannot be added together."
        )
    elif columns:
        kind = columns[0].kind
        notes.append(f"Every column is a {KIND_WORDS[kind]} ({MONTHS_IN_WORDS[kind]}).")
    if others:
        one = len(others) == 1
        spans = list(dict.fromkeys(f.period.label for f in sorted(others, key=lambda f: _in_time(f.period))))
        where = "the area\u2019s own page" if len({f.area_code for f in others}) == 1 else "each area\u2019s own page"
        notes.append(
            f"{plural(len(others), 'figure')} for other spans of time ({_examples(spans)}) "
            f"{'is' if one else 'are'} not in the grid; {'it is' if one else 'they are'} on {where}."
        )
    return notes


def _examples(labels: list[str]) -> str:
    if len(labels) <= 3:
        return join_words(labels)
    return f"such as {join_words(labels[:2])}"


def _in_time(span: Year | Span) -> tuple:
    return span.start, span.label


def _end_year(year: Year) -> int:
    return year.start.year + 1 if year.kind == FINANCIAL_YEAR else year.start.year


def _nation_of(area: Area, by_code: dict[str, Area]) -> Area | None:
    """The nation an area lies in, found by climbing its parents."""
    seen = set()
    while area is not None and area.level != NATION and area.code not in seen:
        seen.add(area.code)
        area = by_code.get(area.parent_code)
    return area if area is not None and area.level == NATION else None


def _of(places: Iterable[str]) -> str:
    named = join_words(places)
    return f" of {named}" if named else ""
