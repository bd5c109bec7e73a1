"""The opening sentence of /areas/: which areas it lists, named and counted from the areas stored.

It once said "2 nations (England and Wales)" and then "4 nations" beside "England and Wales",
which reads as if England and Wales were a nation. England and Wales is one police
jurisdiction made of two nations, so the sentence follows the areas' own tree: each part of
the United Kingdom, and for a jurisdiction of several nations, its nations, England's
regions and its police force areas.
"""

from dashboard.area_coverage import UK_NATIONS
from dashboard.words import NUMBER_WORDS, join_words, plural
from stats.models import Geography

Level = Geography.Level


def areas_sentence(areas: list[Geography]) -> str:
    """'The United Kingdom and its parts: England and Wales, one police jurisdiction of two
    nations (England, with its 9 regions, and Wales) and 43 police force areas; Scotland; and
    Northern Ireland. Each shows how many published figures it has.'"""
    if not areas:
        return "No areas have been loaded yet."
    children: dict[int | None, list[Geography]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    stored = {area.pk for area in areas}
    tops = [area for area in areas if area.parent_id not in stored]
    sentences = []
    for top in sorted(tops, key=_widest_first):
        parts = [_part(child, children) for child in sorted(children.get(top.pk, []), key=_widest_first)]
        if top.level == Level.POLICE_FORCE_AREA or not parts:
            sentences.append(_with_article(top.name))
        else:
            sentences.append(f"{_with_article(top.name)} and its parts: {_join_parts(parts)}")
    sentence = f"{join_words(sentences)}. Each shows how many published figures it has."
    nations = {area.name for area in areas if area.level == Level.NATION}
    missing = [name for name in UK_NATIONS if name not in nations]
    if missing:
        sentence += f" This dashboard has no pages for {join_words(missing, 'or')}."
    return sentence[0].upper() + sentence[1:]


def _part(area: Geography, children: dict[int | None, list[Geography]]) -> str:
    """A part of the whole: a nation by its name, or a jurisdiction of several nations with them and its forces."""
    if area.level != Level.COUNTRY:
        return area.name
    nations = sorted(children.get(area.pk, []), key=_widest_first)
    forces = _count_below(area, children, Level.POLICE_FORCE_AREA)
    described = [_nation(nation, children) for nation in nations]
    said = f"{area.name}, one police jurisdiction"
    if nations:
        count = NUMBER_WORDS.get(len(nations), str(len(nations)))
        said += f" of {count} nation{'s' if len(nations) != 1 else ''} ({join_words(described).rstrip(',')})"
    if forces:
        said += f" {'and' if nations else 'of'} {plural(forces, 'police force area')}"
    return said


def _nation(nation: Geography, children: dict[int | None, list[Geography]]) -> str:
    regions = [a for a in children.get(nation.pk, []) if a.level == Level.REGION]
    return f"{nation.name}, with its {plural(len(regions), 'region')}," if regions else nation.name


def _count_below(area: Geography, children: dict[int | None, list[Geography]], level: str) -> int:
    below, count = list(children.get(area.pk, [])), 0
    while below:
        child = below.pop()
        count += child.level == level
        below.extend(children.get(child.pk, []))
    return count


def _join_parts(parts: list[str]) -> str:
    """Parts that have commas of their own are joined with semicolons."""
    if len(parts) < 3 or not any("," in part for part in parts):
        return join_words(parts)
    return f"{'; '.join(parts[:-1])}; and {parts[-1]}"


def _widest_first(area: Geography) -> tuple:
    return Level.values.index(area.level), area.name


def _with_article(name: str) -> str:
    return f"the {name}" if name.startswith("United ") else name
