"""A figure's caveats in words: what a reader must know before quoting the number.

One home for the sentences, so the figure's page, every download (the /data/ files, card and
figure downloads) and the API say the same thing: a figure never travels without them.
Each caveat is generated from the figure's own data, so it stays true when the data changes:

- part-year: the offence came into force part-way through the period (calendar 2017 from 3 April);
- coverage: which forces the count covers, when the source said;
- precision: the source's own word for a value that is not exact (about, at least...);
- restated or withdrawn: a later publication restated the figure, or it was withdrawn.

Pure functions of plain data: nothing here touches the database, and dashboard/ imports it
(stats/ never imports dashboard/).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stats.records import FigureRecord

NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}
# Said between caveats in a download's one `caveats` cell: each is a whole sentence.
SEPARATOR = " "


def part_year_sentence(period_label: str, months: int, in_force: dt.date, period_months: int = 12) -> str:
    """'2017 covers only about nine months: the offence came into force on 3 April 2017, so it
    is a low base for comparison.' Written once, for a chart's summary and a figure's row alike.
    A period of several years is not a low base, only a shorter one: 'about 69 months, not 72'."""
    in_words = NUMBER_WORDS.get(months, str(months))
    in_force_on = f"the offence came into force on {in_force.day} {in_force:%B %Y}"
    if period_months > 12:
        return f"{period_label} covers about {in_words} months, not {period_months}: {in_force_on}."
    return f"{period_label} covers only about {in_words} months: {in_force_on}, so it is a low base for comparison."


def coverage_sentence(coverage: str) -> str:
    """'The count covers 44 UK forces (all but Lincolnshire).', as the source stated it."""
    return f"The count covers {coverage}, as the source stated."


def precision_sentence(display_value: str) -> str:
    """For a value the source qualified: 'The source gave it as about 40%, not an exact figure.'"""
    return f"The source gave it as {display_value}, not an exact figure."


RESTATED = "A later publication restated this figure: this earlier value is kept as a revision."
WITHDRAWN = "This figure was withdrawn: it is no longer shown on the dashboard."


def caveats_of(figure: FigureRecord) -> list[str]:
    """The figure's caveats as sentences, most important first; empty when it has none."""
    said = []
    if figure.is_withdrawn:
        said.append(WITHDRAWN)
    elif figure.is_superseded:
        said.append(RESTATED)
    months = figure.months_covered
    if months:
        said.append(part_year_sentence(figure.period.label, months, figure.offence_in_force, figure.period_months))
    if figure.coverage:
        said.append(coverage_sentence(figure.coverage))
    if figure.qualifier:
        said.append(precision_sentence(figure.display_value))
    return said


def caveats_cell(figure: FigureRecord) -> str:
    """The caveats as one download cell: the sentences in order, or empty."""
    return SEPARATOR.join(caveats_of(figure))
