"""What /areas/ says about the areas it lists, in words generated from the areas stored.

The list once promised "the UK, its nations, the English regions and all 43 police force
areas" while holding no Scotland or Northern Ireland, and showed "0 figures" against most
forces without saying why. These sentences count and name what is actually there.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.words import join_words, plural
from stats.models import Geography

Level = Geography.Level
# The nations of the United Kingdom, so the page can say which ones it has no pages for.
UK_NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


@dataclass(frozen=True)
class FiguresNote:
    """Why most forces show "no figures yet", and where the wider figures are instead."""

    sentence: str
    wider_intro: str  # "National and regional figures are on these pages:"
    wider_areas: list[Geography]  # countries, nations and regions with figures of their own, to link to


def coverage_sentence(areas: list[Geography]) -> str:
    """'The United Kingdom, England and Wales, 2 nations (England and Wales), the 9 regions of
    England and the 43 police force areas of England and Wales, ...': counted and named from
    the areas stored, followed by the UK nations that have no pages here."""
    if not areas:
        return "No areas have been loaded yet."
    by_pk = {area.pk: area for area in areas}
    by_level = {level: [a for a in areas if a.level == level] for level in Level.values}
    parts = [_with_article(a.name) for a in sorted(by_level[Level.COUNTRY], key=_widest_first)]
    nations = by_level[Level.NATION]
    if nations:
        parts.append(f"{plural(len(nations), 'nation')} ({join_words(a.name for a in nations)})")
    regions = by_level[Level.REGION]
    if regions:
        parents = dict.fromkeys(by_pk[r.parent_id].name for r in regions if r.parent_id in by_pk)
        parts.append(f"the {plural(len(regions), 'region')}{_of(parents)}")
    forces = by_level[Level.POLICE_FORCE_AREA]
    if forces:
        nations_of_forces = dict.fromkeys(filter(None, (_nation_of(force, by_pk) for force in forces)))
        parts.append(f"the {plural(len(forces), 'police force area')}{_of(nations_of_forces)}")
    sentence = f"{join_words(parts)}, with how many published figures each has."
    missing = [name for name in UK_NATIONS if name not in {a.name for a in nations}]
    if missing:
        sentence += f" This dashboard has no pages for {join_words(missing, 'or')}."
    return sentence[0].upper() + sentence[1:]


def figures_note(areas: list[Geography]) -> FiguresNote | None:
    """How many forces have a figure of their own (`figure_count`), said once above the list;
    none when every force has one."""
    forces = [a for a in areas if a.level == Level.POLICE_FORCE_AREA]
    with_figures = sum(1 for force in forces if force.figure_count)
    if not forces or with_figures == len(forces):
        return None
    total = f"{len(forces)} police force area{'s' if len(forces) != 1 else ''}"
    if with_figures == 0:
        sentence = f"None of the {total} has a published figure of its own in the sources we hold yet."
    elif with_figures * 2 < len(forces):
        sentence = (
            "Most police forces publish no figure of their own in the sources we hold: "
            f"only {with_figures} of the {total} {'has' if with_figures == 1 else 'have'} at least one, "
            "so the others show \u201cno figures yet\u201d."
        )
    else:
        sentence = (
            f"{with_figures} of the {total} have at least one published figure of their own in the "
            "sources we hold; the others show \u201cno figures yet\u201d."
        )
    wider = [a for a in areas if a.level != Level.POLICE_FORCE_AREA and a.figure_count]
    wider.sort(key=_widest_first)
    return FiguresNote(sentence, _wider_intro(wider), wider)


def _wider_intro(wider: list[Geography]) -> str:
    kinds = []
    if any(a.level in (Level.COUNTRY, Level.NATION) for a in wider):
        kinds.append("national")
    if any(a.level == Level.REGION for a in wider):
        kinds.append("regional")
    if not kinds:
        return ""
    return f"{' and '.join(kinds).capitalize()} figures are on {'these pages' if len(wider) > 1 else 'this page'}:"


def _widest_first(area: Geography) -> tuple:
    """Countries, nations, regions, forces; the United Kingdom, which has no parent, before England and Wales."""
    return Level.values.index(area.level), area.parent_id is not None, area.name


def _nation_of(area: Geography, by_pk: dict[int, Geography]) -> str:
    """The nation an area lies in, found by climbing its parents."""
    while area is not None and area.level != Level.NATION:
        area = by_pk.get(area.parent_id)
    return area.name if area is not None else ""


def _of(places: Iterable[str]) -> str:
    named = join_words(places)
    return f" of {named}" if named else ""


def _with_article(name: str) -> str:
    return f"the {name}" if name.startswith("United ") else name
