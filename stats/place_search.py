"""Find a police force area from the place a parent knows: a town, a council, an older
district name, a force's own name or an ONS code.

The names come from two queries (areas and councils); the matching is pure. A query is
cleaned (invisible characters dropped, spaces collapsed, cut to 100 characters) and
compared in a normal form that ignores case, accents, punctuation, '&' against 'and' and
'St' against 'Saint'. Three tiers are tried in turn, and only the first that finds
anything counts, so an exact name is never drowned by names that merely resemble it:

1. exact: the query is a place's name ('City of London'), or an ONS code;
2. words: each word of the query begins a word of the name ('stoke', 'met police');
3. close: a word is misspelt ('birmingam'), judged by difflib's similarity ratio.

Places in the same area collapse into one match: the question is which area, not which place.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stats.models import Geography, LocalAuthority

MAX_QUERY_LENGTH = 100
SHORTEST_BY_WORDS = 3  # letters: shorter queries find only whole names, or 'st' would list every saint
SHORTEST_MISSPELT = 4  # letters: a misspelling is guessed only in words at least this long
CLOSE_ENOUGH = 0.8  # difflib's ratio: one wrong letter in five
NEAR_TIE = 0.05  # close matches this near the best are all offered, never one picked at random

GSS_CODE = re.compile(r"[EKNSW][0-9]{8}")
APOSTROPHES = re.compile("['\u2018\u2019`]")  # "King's Lynn" is "Kings Lynn", not "King s Lynn"
NOT_A_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")
FORCE_SUFFIXES = (" police service", " police", " constabulary")
# Words a query may add around a name without changing which place it names:
# 'Birmingham City Council', 'Durham Police', 'Stoke on Trent'.
FILLER_WORDS = frozenset(
    {"and", "area", "borough", "city", "constabulary", "council", "county", "district"}
    | {"force", "in", "of", "on", "police", "service", "the", "under", "upon"}
)
# Whose own name matches best explains a match: the area itself, then a council, then an older name.
OWN_NAME, COUNCIL, OTHER_NAME = range(3)
LEVEL_ORDER = [
    Geography.Level.POLICE_FORCE_AREA,
    Geography.Level.REGION,
    Geography.Level.NATION,
    Geography.Level.COUNTRY,
]


@dataclass(frozen=True)
class Area:
    """Where a search leads: a police force area, or a region, nation or country named outright."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Place:
    """A name someone may type, and the area it is in."""

    name: str  # as shown: "Richmond upon Thames"
    kind: str  # shown beside the name: "council", "region", "in North Northamptonshire"
    area: Area
    code: str = ""  # its own ONS code; an older name has none
    spellings: tuple[str, ...] = ()  # the normal forms it answers to

    @property
    def rank(self) -> int:
        if self.code == self.area.code:
            return OWN_NAME
        return COUNCIL if self.code else OTHER_NAME


@dataclass(frozen=True)
class AreaMatch:
    area: Area
    place: Place  # the place whose name matched; the area itself when its own name did

    @property
    def by_its_own_name(self) -> bool:
        return self.place.rank == OWN_NAME


@dataclass(frozen=True)
class SearchResult:
    query: str  # as cleaned: what the page shows back
    matches: tuple[AreaMatch, ...] = ()

    @property
    def only_match(self) -> AreaMatch | None:
        return self.matches[0] if len(self.matches) == 1 else None


def find_areas(query: str) -> SearchResult:
    """The areas a typed query names, best first: two queries, or none for an empty query."""
    cleaned = clean_query(query)
    if not normal_form(cleaned):
        return SearchResult(cleaned)
    return SearchResult(cleaned, match_places(cleaned, load_places()))


def clean_query(raw: str) -> str:
    """The query safe to show back and to search: control characters read as spaces, other
    invisible ones (zero-width spaces, direction overrides) dropped, at most 100 characters."""
    kept = []
    for character in raw[: MAX_QUERY_LENGTH * 4]:  # bound the work on a pasted essay
        category = unicodedata.category(character)
        if category == "Cc":
            kept.append(" ")
        elif not category.startswith("C"):
            kept.append(character)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].strip()


def normal_form(text: str) -> str:
    """A name as compared: 'St. Helens' and 'saint helens', 'Brighton & Hove' and 'brighton and hove'
    are the same; accents, punctuation and spacing never matter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = APOSTROPHES.sub("", letters.replace("&", " and "))
    words = NOT_A_LETTER_OR_DIGIT.sub(" ", letters).split()
    return " ".join("saint" if word == "st" else word for word in words)


def load_places() -> list[Place]:
    """Every name the search answers to, in two queries however many councils there are."""
    geographies = Geography.objects.values("code", "name", "level")
    councils = LocalAuthority.objects.values("code", "name", "other_names", "police_force_area__code")
    return places_of(geographies, councils)


def places_of(geographies: Iterable[dict], councils: Iterable[dict]) -> list[Place]:
    """The places behind the areas and councils: each area by its own name, each council, and
    each older name once per force, saying which councils it lies in."""
    areas = {g["code"]: Area(g["code"], g["name"], g["level"]) for g in geographies}
    places = [
        Place(a.name, Geography.Level(a.level).label.lower(), a, a.code, _spellings(a.name)) for a in areas.values()
    ]
    councils_by_other_name: dict[tuple[str, str], list[str]] = {}
    for council in councils:
        area = areas[council["police_force_area__code"]]
        places.append(Place(council["name"], "council", area, council["code"], _spellings(council["name"])))
        for other_name in filter(None, (n.strip() for n in council["other_names"].split(";"))):
            councils_by_other_name.setdefault((other_name, area.code), []).append(council["name"])
    for (other_name, code), council_names in councils_by_other_name.items():
        kind = "in " + ", ".join(council_names)  # council names hold "and": never join them with it
        places.append(Place(other_name, kind, areas[code], spellings=_spellings(other_name)))
    return places


def _spellings(name: str) -> tuple[str, ...]:
    """The normal forms a name answers to: itself; an ONS name written backwards, both ways
    ('Bristol, City of' is also 'City of Bristol' and 'Bristol'); and a force's name
    without its last word ('West Midlands Police' is also 'West Midlands')."""
    head, _, tail = name.partition(", ")
    forms = [normal_form(f) for f in ([name, f"{tail} {head}", head] if tail else [name])]
    for form in list(forms):
        for suffix in FORCE_SUFFIXES:
            if form.endswith(suffix) and form != suffix.strip():
                forms.append(form.removesuffix(suffix))
                break
    return tuple(dict.fromkeys(forms))


def match_places(query: str, places: Sequence[Place]) -> tuple[AreaMatch, ...]:
    """The areas a query names, one match per area, best first."""
    wanted = normal_form(query)
    if not wanted:
        return ()
    scored = (
        _by_code(query, places)
        or _by_exact_name(wanted, places)
        or _by_words(wanted, places)
        or _by_close(wanted, places)
    )
    return _one_per_area(scored)


def _by_code(query: str, places: Sequence[Place]) -> list[tuple[float, Place]]:
    code = "".join(query.split()).upper()
    if not GSS_CODE.fullmatch(code):
        return []
    return [(1.0, place) for place in places if place.code == code]


def _by_exact_name(wanted: str, places: Sequence[Place]) -> list[tuple[float, Place]]:
    return [(1.0, place) for place in places if wanted in place.spellings]


def _content_words(wanted: str) -> list[str]:
    return [word for word in wanted.split() if word not in FILLER_WORDS]


def _by_words(wanted: str, places: Sequence[Place]) -> list[tuple[float, Place]]:
    """Places with a word beginning with each of the query's words: 'richmond' finds Richmond upon
    Thames and Richmondshire, 'newcastle' both Newcastles."""
    words = _content_words(wanted)
    if sum(map(len, words)) < SHORTEST_BY_WORDS:
        return []
    return [
        (1.0, place)
        for place in places
        if any(all(_begins_a_word(word, spelling.split()) for word in words) for spelling in place.spellings)
    ]


def _begins_a_word(word: str, name_words: list[str]) -> bool:
    return any(name_word.startswith(word) for name_word in name_words)


def _by_close(wanted: str, places: Sequence[Place]) -> list[tuple[float, Place]]:
    """Places whose every word is near one of the query's words ('birmingam', 'newcastel'),
    each scored by its least similar word; those near the best score are all kept."""
    words = _content_words(wanted)
    vocabulary = {name_word for place in places for spelling in place.spellings for name_word in spelling.split()}
    nearness = {word: _near_words(word, vocabulary) for word in words}
    if not words or not all(nearness.values()):
        return []  # some word is like nothing we hold: no place can match
    scored = []
    for place in places:
        score = max((_closeness(nearness, spelling.split()) for spelling in place.spellings), default=0.0)
        if score >= CLOSE_ENOUGH:
            scored.append((score, place))
    best = max((score for score, _ in scored), default=0.0)
    return [(score, place) for score, place in scored if score >= best - NEAR_TIE]


def _near_words(word: str, vocabulary: set[str]) -> dict[str, float]:
    """Each name word this query word begins (1.0) or resembles (its similarity ratio)."""
    near = {name_word: 1.0 for name_word in vocabulary if name_word.startswith(word)}
    if len(word) >= SHORTEST_MISSPELT:
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        for name_word in vocabulary - near.keys():
            matcher.set_seq1(name_word)
            # The cheap upper bounds first, as difflib.get_close_matches does.
            if matcher.real_quick_ratio() >= CLOSE_ENOUGH and matcher.quick_ratio() >= CLOSE_ENOUGH:
                ratio = matcher.ratio()
                if ratio >= CLOSE_ENOUGH:
                    near[name_word] = ratio
    return near


def _closeness(nearness: dict[str, dict[str, float]], name_words: list[str]) -> float:
    """How well a name answers every word of the query: the weakest word decides."""
    return min(max((near.get(name_word, 0.0) for name_word in name_words), default=0.0) for near in nearness.values())


def _one_per_area(scored: list[tuple[float, Place]]) -> tuple[AreaMatch, ...]:
    """One match per area, explained by its best place; forces before wider areas, then by name."""
    ordered = sorted(scored, key=lambda item: (-item[0], item[1].rank, item[1].name))
    best: dict[str, tuple[float, Place]] = {}
    for score, place in ordered:
        best.setdefault(place.area.code, (score, place))
    ranked = sorted(
        best.values(),
        key=lambda item: (-item[0], LEVEL_ORDER.index(item[1].area.level), item[1].area.name),
    )
    return tuple(AreaMatch(place.area, place) for _, place in ranked)
