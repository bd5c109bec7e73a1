"""Postcodes, written any way a parent types them, and the police force areas that cover them.

A full postcode goes to its force exactly: the sector decides, and in one of the 753 sectors
that cross a force boundary, the postcode itself (stats.models.Postcode). A sector ('B15 2') or
district ('B15') that lies in one force goes straight there; one that crosses a boundary lists
its forces, the biggest share first. Every BT postcode is Northern Ireland, one force for all of
it; Channel Islands and Isle of Man postcodes are outside the UK's police force areas.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from stats.models import Geography, LocalAuthority, Postcode, PostcodeShare

OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
FULL = re.compile(rf"({OUTWARD}) ?([0-9])([A-Z]{{2}})")
SECTOR = re.compile(rf"({OUTWARD}) ([0-9])")
DISTRICT = re.compile(OUTWARD)
# Where a postcode area lies outside the 45 police force areas of the UK this dashboard covers.
OUTSIDE = {"GY": "Guernsey", "JE": "Jersey", "IM": "the Isle of Man"}
NORTHERN_IRELAND = "N92000002"


@dataclass(frozen=True)
class PostcodeQuery:
    text: str  # as we write it: 'B15 2TT', 'B15 2', 'B15'
    kind: str  # 'postcode', 'sector' or 'district'
    outward: str
    sector: str  # '' for a district


@dataclass(frozen=True)
class ForcePart:
    code: str
    name: str
    level: str
    share: Decimal  # per cent of the unit's postcodes: 100 for a whole unit
    council: str = ""


@dataclass(frozen=True)
class PostcodeAnswer:
    query: PostcodeQuery
    parts: tuple[ForcePart, ...] = ()  # biggest share first; empty when we do not know it
    outside: str = ""  # 'Jersey': outside the UK's police force areas

    @property
    def known(self) -> bool:
        return bool(self.parts) or bool(self.outside)


def read_postcode(text: str) -> PostcodeQuery | None:
    """'b152tt', 'B15  2tt' -> B15 2TT; 'b15 2' -> the sector; 'B15' -> the district; else None."""
    compact = " ".join(text.upper().split())
    if match := FULL.fullmatch(compact):
        outward, digit, unit = match.groups()
        return PostcodeQuery(f"{outward} {digit}{unit}", "postcode", outward, f"{outward} {digit}")
    if match := SECTOR.fullmatch(compact):
        outward, digit = match.groups()
        return PostcodeQuery(f"{outward} {digit}", "sector", outward, f"{outward} {digit}")
    if DISTRICT.fullmatch(compact):
        return PostcodeQuery(compact, "district", compact, "")
    return None


def area_letters(outward: str) -> str:
    return re.match("[A-Z]+", outward).group()


def find_postcode(query: PostcodeQuery) -> PostcodeAnswer:
    """The forces covering a postcode, sector or district: at most two indexed queries."""
    letters = area_letters(query.outward)
    if letters in OUTSIDE:
        return PostcodeAnswer(query, outside=OUTSIDE[letters])
    if letters == "BT":
        psni = Geography.objects.filter(code=NORTHERN_IRELAND).values_list("code", "name", "level").first()
        return PostcodeAnswer(query, (ForcePart(*psni, Decimal(100)),) if psni else ())
    if query.kind == "postcode":
        exact = (
            Postcode.objects.filter(code=query.text)
            .values_list(
                "police_force_area__code", "police_force_area__name", "police_force_area__level", "council_code"
            )
            .first()
        )
        if exact is not None:
            code, name, level, council = exact
            council_name = LocalAuthority.objects.filter(code=council).values_list("name", flat=True).first() or ""
            return PostcodeAnswer(query, (ForcePart(code, name, level, Decimal(100), council_name),))
    unit = query.sector or query.outward
    parts = tuple(
        ForcePart(code, name, level, share, council)
        for code, name, level, share, council in PostcodeShare.objects.filter(unit=unit)
        .order_by("-postcodes", "police_force_area__name")
        .values_list(
            "police_force_area__code", "police_force_area__name", "police_force_area__level", "share", "council"
        )
    )
    if query.kind == "postcode" and len(parts) > 1:
        return PostcodeAnswer(query)  # a split sector's postcode that Code-Point Open does not list
    return PostcodeAnswer(query, parts)


def share_in_words(share: Decimal, unit: str) -> str:
    """'all of B15', 'most of B14 5', 'part of SY10', 'a small part of SY10'."""
    if share >= 100:
        return f"all of {unit}"
    if share >= 50:
        return f"most of {unit}"
    if share >= 10:
        return f"part of {unit}"
    return f"a small part of {unit}"
