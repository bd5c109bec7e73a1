"""How to cite a figure: the publication that gave it first, then this dashboard, as one rule.

Journalists cite the source; researchers want a reference manager's entry too, so a
figure's page offers both a sentence and a BibTeX entry built from the same facts.
"""

import datetime as dt
import re

from stats.records import FigureRecord, Publication

SITE_NAME = "Online grooming crime in the UK dashboard"


def cite(source: Publication, link: str, accessed: dt.date) -> str:
    where = f", {source.url}" if source.url else ""
    return (
        f"{source.publisher}, \u2018{source.title}\u2019, {source.published_label}{where}; "
        f"via {SITE_NAME}, {link}, accessed {_day(accessed)}."
    )


def bibtex(figure: FigureRecord, link: str, accessed: dt.date) -> str:
    """A @misc entry: the source as author and title, this dashboard and the figure's page in the note."""
    source = figure.source
    fields = {
        "author": "{" + _braced(source.publisher) + "}",  # a body, not a person: kept whole
        "title": _braced(
            f"{source.title}: {figure.measure_name}, {figure.offence_name}, {figure.area_name}, {figure.period.label}"
        ),
        "year": str(source.published.year),
        "howpublished": "\\url{" + re.sub(r"[{}\\\s]", "", source.url) + "}" if source.url else "",
        "note": _braced(
            f"Value {figure.display_value}. Via {SITE_NAME}, figure {figure.id}, {link}, accessed {_day(accessed)}"
        ),
    }
    lines = [f"  {name} = {{{value}}}" for name, value in fields.items() if value]
    return f"@misc{{grooming-figure-{figure.id},\n" + ",\n".join(lines) + "\n}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _braced(text: str) -> str:
    """Text safe inside BibTeX braces: unbalanced braces and backslashes removed, % and & escaped."""
    text = re.sub(r"[{}\\]", "", text)
    return re.sub(r"([%&#_$])", r"\\\1", text)
