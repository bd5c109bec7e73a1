"""One order for areas compared by a value: every table, chart and sentence that ranks areas uses it.

Areas are ranked by the value as it is shown (a rate to one decimal place, a count as
published), highest first. Two that read the same share a place ("joint 2nd") and are
said to be about the same, never one above the other; among them, names go in
alphabetical order, so a table, its chart and its words always list them alike.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from dashboard.words import join_words

T = TypeVar("T")


@dataclass(frozen=True)
class Placed(Generic[T]):
    item: T
    name: str
    shown: str  # the value as written beside the name
    place: int  # 1 for the highest; areas that read the same share a place
    of: int  # how many areas were ranked
    alike: tuple[str, ...]  # the other areas with the same place, by name


def ranked(
    items: Iterable[T],
    *,
    value: Callable[[T], Decimal | float | None],
    name: Callable[[T], str],
    shown: Callable[[T], str],
) -> list[Placed[T]]:
    """Highest first; items without a value are left out (no value is not a low value).
    `value` must be what is shown, rounded as it is shown: equal values share a place."""
    valued = sorted((item for item in items if value(item) is not None), key=lambda item: (-value(item), name(item)))
    names_at: dict[Decimal | float, list[str]] = {}
    for item in valued:
        names_at.setdefault(value(item), []).append(name(item))
    placed, place = [], 0
    for index, item in enumerate(valued):
        if index == 0 or value(item) != value(valued[index - 1]):
            place = index + 1
        alike = tuple(other for other in names_at[value(item)] if other != name(item))
        placed.append(Placed(item, name(item), shown(item), place, len(valued), alike))
    return placed


def ordinal(place: int) -> str:
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def place_words(placed: Placed) -> str:
    """'2nd', or 'joint 2nd' where another area reads the same."""
    return f"joint {ordinal(placed.place)}" if placed.alike else ordinal(placed.place)


def where_it_stands(placed: Placed, among: str) -> str:
    """'West Midlands Police is joint 7th of the 8 forces with a figure (2.0, about the same as
    Warwickshire Police).'"""
    said = f"{placed.name} is {place_words(placed)} of {among} ({placed.shown}"
    if placed.alike:
        said += f", about the same as {join_words(placed.alike)}"
    return said + ")."


def highest_and_lowest(ranking: list[Placed]) -> tuple[list[Placed], list[Placed]]:
    """The areas that share the first place, and those that share the last (empty when all read the same)."""
    if not ranking:
        return [], []
    top = [p for p in ranking if p.place == 1]
    last = ranking[-1].place
    bottom = [p for p in ranking if p.place == last] if last != 1 else []
    return top, bottom


def highest_and_lowest_words(ranking: list[Placed], highest: str = "the highest", lowest: str = "the lowest") -> str:
    """'Durham Constabulary had the highest (8.5) and Warwickshire Police and West Midlands Police
    shared the lowest (both 2.0)': areas that read the same are named together."""
    top, bottom = highest_and_lowest(ranking)
    if not top:
        return ""
    if not bottom and len(top) > 1:
        return f"{join_words(p.name for p in top)} all read the same ({top[0].shown})"
    said = _had(top, highest)
    return f"{said} and {_had(bottom, lowest)}" if bottom else said


def _had(group: list[Placed], what: str) -> str:
    if len(group) == 1:
        return f"{group[0].name} had {what} ({group[0].shown})"
    each = "both" if len(group) == 2 else "each"
    return f"{join_words(p.name for p in group)} shared {what} ({each} {group[0].shown})"
