"""Kinds of period and their labels: one rule, used by the models, the importers and the pages.

A financial year runs 1 April to 31 March and is labelled "2017/18"; a calendar year
is labelled "2017". Anything else is an "other" span with the source's own label.
"""

import datetime as dt

FINANCIAL_YEAR = "financial_year"
CALENDAR_YEAR = "calendar_year"
OTHER = "other"
KIND_NAMES = {
    FINANCIAL_YEAR: "Financial year (April to March)",
    CALENDAR_YEAR: "Calendar year (January to December)",
    OTHER: "Other span",
}


def kind_of_span(start: dt.date, end: dt.date) -> str:
    """Classify a span by its dates: the dates decide, never the label."""
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return FINANCIAL_YEAR
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and end.year == start.year:
        return CALENDAR_YEAR
    return OTHER


def year_label(kind: str, year: int) -> str:
    """The label of the financial or calendar year that starts in `year`."""
    return f"{year}/{(year + 1) % 100:02d}" if kind == FINANCIAL_YEAR else str(year)


def financial_year(year: int) -> tuple[str, dt.date, dt.date]:
    """Label, first and last day of the financial year starting in April of `year`."""
    return year_label(FINANCIAL_YEAR, year), dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def standard_label(start: dt.date, end: dt.date) -> str | None:
    """The conventional label of a financial ("2017/18") or calendar ("2017") year."""
    kind = kind_of_span(start, end)
    return None if kind == OTHER else year_label(kind, start.year)
