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

The names are the areas, the 318 councils and their older names, and 24,603 towns, villages,
suburbs, parishes, Welsh communities, Scottish places and Northern Ireland councils and wards
(stats.models.PlaceName). They are indexed once per process for each version of them
(PlaceIndex): by whole name, and by word, so a search reads only the names its words begin.
A postcode, or a part of one, is answered by stats.postcodes instead.
"""

import bisect
import difflib
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache

from stats import lookup_data
from stats.models import Geography, LocalAuthority, PlaceName, ReferenceData
from stats.nations import ONE_FORCE_NATIONS
from stats.postcodes import PostcodeAnswer, find_postcode, read_postcode, share_in_words
from stats.versions import CACHE_KEY, shared_version

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
# Whose own name matches best explains a match: the area itself, then a council, then a whole
# town (or its main part), then any other place or older name.
OWN_NAME, COUNCIL, WHOLE_PLACE, OTHER_NAME = range(4)
WHOLE = ("whole", "main part")
LEVEL_ORDER = [
    Geography.Level.POLICE_FORCE_AREA,
    Geography.Level.REGION,
    Geography.Level.NATION,
    Geography.Level.COUNTRY,
]


@dataclass(frozen=True, slots=True)
class Area:
    """Where a search leads: a police force area, or a region, nation or country named outright."""

    code: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class Place:
    """A name someone may type, and the area it is in."""

    name: str  # as shown: "Richmond upon Thames"
    kind: str  # shown beside the name: "council", "region", "in North Northamptonshire"
    area: Area
    code: str = ""  # its own ONS code; an older name or a town has none
    spellings: tuple[str, ...] = ()  # the normal forms it answers to
    council: str = ""  # the council a town or village is in, for "Sutton Coldfield is in Birmingham"
    extent: str = ""  # a town's share of its council: 'whole', 'main part', 'part'
    town: bool = False  # one of the 24,603 place names, rather than an area, council or older name

    @property
    def rank(self) -> int:
        if self.code == self.area.code:
            return OWN_NAME
        if self.code:
            return COUNCIL
        return WHOLE_PLACE if self.extent in WHOLE else OTHER_NAME


@dataclass(frozen=True)
class AreaMatch:
    area: Area
    place: Place  # the place whose name matched; the area itself when its own name did

    @property
    def by_its_own_name(self) -> bool:
        return self.place.rank == OWN_NAME

    @property
    def described(self) -> str:
        """What matched, as a list of matches shows it: 'Newport — Isle of Wight', 'Newport (council)',
        'Most of SY10'."""
        place = self.place
        if place.kind.startswith(("all of ", "most of ", "part of ", "a small part of ")):
            return place.kind[0].upper() + place.kind[1:]
        if place.kind.startswith("in "):
            return f"{place.name} \u2014 {place.kind.removeprefix('in ')}"
        return f"{place.name} ({place.kind})"


@dataclass(frozen=True)
class SearchResult:
    query: str  # as cleaned: what the page shows back
    matches: tuple[AreaMatch, ...] = ()
    postcode: PostcodeAnswer | None = None  # when the query was a postcode or a part of one

    @property
    def only_match(self) -> AreaMatch | None:
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def outside(self) -> str:
        """'Jersey', when a postcode lies outside the UK's police force areas."""
        return self.postcode.outside if self.postcode else ""

    @property
    def said(self) -> str:
        """The answer in one sentence for a person (and the API): where the search leads, or what to try."""
        if not self.query:
            return "Type a postcode, town or council."
        if self.outside:
            return (
                f"{self.postcode.query.text} is in {self.outside}, which has its own police and is outside "
                "the UK police force areas this dashboard covers, so we have no figures for it."
            )
        if self.postcode is not None and not self.matches:
            known = f"\u2018{self.postcode.query.text}\u2019"
            return f"We do not know the postcode {known}. Check the postcode, or type your town or council."
        if not self.matches:
            return (
                f"We could not find \u2018{self.query}\u2019. Check the spelling, or type a postcode, town or council; "
                "you can also pick your area from the list below."
            )
        if self.only_match:
            return self.how_found(self.only_match.area.code) or f"{self.only_match.area.name}."
        if self.postcode is not None:
            return f"{self.postcode.query.text} is covered by {len(self.matches)} police forces."
        return f"{len(self.matches)} areas match \u2018{self.query}\u2019."

    def how_found(self, area_code: str) -> str:
        """How a search led to this area, said on its page: 'B15 2TT is in Birmingham, policed by
        West Midlands Police.' Empty when the search does not lead there alone."""
        match = self.only_match
        if match is None or match.area.code != area_code or match.by_its_own_name:
            return ""
        force = ONE_FORCE_NATIONS.get(match.area.code, match.area.name)
        if self.postcode is not None:
            council = self.postcode.parts[0].council
            where = f" is in {council}," if council else " is"
            return f"{self.postcode.query.text}{where} policed by {force}."
        place = match.place
        if place.code:  # a council
            return f"{place.name} is policed by {force}."
        council = f" is in {place.council}," if place.council and place.council != place.name else " is"
        return f"{place.name}{council} policed by {force}."


def find_areas(query: str) -> SearchResult:
    """The areas a typed query names, best first: a postcode by its own lookup, a name through
    the index of every place (one small query to check the index is current)."""
    cleaned = clean_query(query)
    if not normal_form(cleaned):
        return SearchResult(cleaned)
    postcode = read_postcode(cleaned)
    if postcode is not None:
        answer = find_postcode(postcode)
        return SearchResult(cleaned, _postcode_matches(answer), answer)
    return SearchResult(cleaned, match_places(cleaned, place_index()))


def _postcode_matches(answer: PostcodeAnswer) -> tuple[AreaMatch, ...]:
    unit = answer.query.text
    areas = [Area(part.code, part.name, part.level) for part in answer.parts]
    return tuple(
        AreaMatch(area, Place(unit, share_in_words(part.share, unit), area))
        for area, part in zip(areas, answer.parts, strict=True)
    )


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
    """Every name the search answers to, in three queries however many places there are."""
    geographies = Geography.objects.values("code", "name", "level")
    councils = LocalAuthority.objects.values("code", "name", "other_names", "police_force_area__code")
    towns = PlaceName.objects.values_list("name", "normal", "council", "county", "extent", "police_force_area__code")
    return places_of(geographies, councils, towns)


def places_of(geographies: Iterable[dict], councils: Iterable[dict], towns: Iterable[tuple] = ()) -> list[Place]:
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
    known = {(spelling, place.area.code) for place in places for spelling in place.spellings}
    towns = sorted(towns, key=lambda town: town[4] not in WHOLE)
    # A built-up area with a main part somewhere is that place; the fringes that spill into a
    # neighbouring council ("part": Sutton Coldfield in Lichfield) would send most of the people
    # who type its name to the wrong force, so they are left to the postcode search, which is
    # exact. Our judgment of what helps a parent, not a rule of the data.
    with_main_part = {town[1] for town in towns if town[4] == "main part"}
    # A town in two councils of one force is named by the council holding all or most of it.
    for name, normal, council, county, extent, code in towns:
        if (normal, code) in known or code not in areas or (extent == "part" and normal in with_main_part):
            continue  # a council or older name already listed, or the same town twice in one force
        known.add((normal, code))
        where = council or county or areas[code].name
        places.append(
            Place(name, f"in {where}", areas[code], spellings=(normal,), council=council, extent=extent, town=True)
        )
    return places


class PlaceIndex:
    """The places by whole name and by word: what each tier of the search reads."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = list(places)
        by_spelling: dict[str, list[int]] = {}
        by_word: dict[str, set[int]] = {}
        for at, place in enumerate(self.places):
            for spelling in place.spellings:
                by_spelling.setdefault(spelling, []).append(at)
                for word in spelling.split():
                    by_word.setdefault(word, set()).add(at)
        # Kept as tuples: a process holds the index for as long as it lives (tuples are a third of sets).
        self.by_spelling = {spelling: tuple(ats) for spelling, ats in by_spelling.items()}
        self.by_word = {word: tuple(sorted(ats)) for word, ats in by_word.items()}
        self.words = sorted(self.by_word)
        self.by_first_letter: dict[str, list[str]] = {}
        for word in self.words:
            self.by_first_letter.setdefault(word[0], []).append(word)

    def named(self, spelling: str) -> list[Place]:
        return [self.places[at] for at in self.by_spelling.get(spelling, ())]

    def words_beginning(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self.words, prefix)
        end = bisect.bisect_left(self.words, prefix + "\uffff")
        return self.words[start:end]

    def with_words(self, words: Iterable[str]) -> list[Place]:
        found: set[int] = set()
        for word in words:
            found.update(self.by_word.get(word, ()))
        return [self.places[at] for at in sorted(found)]


@dataclass
class _Kept:
    key: tuple = ()
    index: PlaceIndex | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_kept = _Kept()


def place_index() -> PlaceIndex:
    """The index of every place, built once per process for each version of the names: the loaded
    lookup file's SHA-256 (one small query) and the data's version, which changes with every
    release and admin edit (a renamed area, a council moved to another force)."""
    key = (
        ReferenceData.objects.filter(name=lookup_data.NAME).values_list("sha256", flat=True).first(),
        shared_version(cache.get(CACHE_KEY)).tag,
    )
    if _kept.key != key or _kept.index is None:
        with _kept.lock:
            if _kept.key != key or _kept.index is None:
                _kept.index, _kept.key = PlaceIndex(load_places()), key
    return _kept.index


def forget_index() -> None:
    """For tests that change areas or councils in place: the next search builds the index again."""
    _kept.key, _kept.index = (), None


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


def match_places(query: str, places: "PlaceIndex | Sequence[Place]") -> tuple[AreaMatch, ...]:
    """The areas a query names, one match per area, best first."""
    index = places if isinstance(places, PlaceIndex) else PlaceIndex(places)
    wanted = normal_form(query)
    if not wanted:
        return ()
    exact = _by_exact_name(wanted, index)
    if exact and all(place.town for _, place in exact):
        # 'Richmond' is a town in North Yorkshire, and the start of Richmond upon Thames: a parent
        # in either should see theirs, so the councils and areas its words begin are offered too.
        exact += [(score, place) for score, place in _by_words(wanted, index) if not place.town]
    scored = _by_code(query, index) or exact or _by_words(wanted, index) or _by_close(wanted, index)
    return _one_per_area(scored)


def _by_code(query: str, index: PlaceIndex) -> list[tuple[float, Place]]:
    code = "".join(query.split()).upper()
    if not GSS_CODE.fullmatch(code):
        return []
    return [(1.0, place) for place in index.places if place.code == code]


def _by_exact_name(wanted: str, index: PlaceIndex) -> list[tuple[float, Place]]:
    return [(1.0, place) for place in index.named(wanted)]


def _content_words(wanted: str) -> list[str]:
    return [word for word in wanted.split() if word not in FILLER_WORDS]


def _by_words(wanted: str, index: PlaceIndex) -> list[tuple[float, Place]]:
    """Places with a word beginning with each of the query's words: 'richmond' finds Richmond upon
    Thames and Richmondshire, 'newcastle' both Newcastles. Only the places holding a word that
    the query's longest word begins are read."""
    words = _content_words(wanted)
    if sum(map(len, words)) < SHORTEST_BY_WORDS:
        return []
    candidates = index.with_words(index.words_beginning(max(words, key=len)))
    return [
        (1.0, place)
        for place in candidates
        if any(_answers(words, spelling.split(), whole_words=place.town) for spelling in place.spellings)
    ]


def _answers(words: list[str], name_words: list[str], *, whole_words: bool) -> bool:
    """Each query word begins a word of the name; for a town, is one: 'met police' finds the
    Metropolitan Police, not every Metheringham and Methley."""
    if whole_words:
        return all(word in name_words for word in words)
    return all(_begins_a_word(word, name_words) for word in words)


def _begins_a_word(word: str, name_words: list[str]) -> bool:
    return any(name_word.startswith(word) for name_word in name_words)


def _by_close(wanted: str, index: PlaceIndex) -> list[tuple[float, Place]]:
    """Places whose every word is near one of the query's words ('birmingam', 'newcastel'),
    each scored by its least similar word; those near the best score are all kept."""
    words = _content_words(wanted)
    nearness = {word: _near_words(word, index) for word in words}
    if not words or not all(nearness.values()):
        return []  # some word is like nothing we hold: no place can match
    scored = []
    for place in index.with_words(nearness[max(words, key=len)]):
        score = max((_closeness(nearness, spelling.split()) for spelling in place.spellings), default=0.0)
        if score >= CLOSE_ENOUGH:
            scored.append((score, place))
    best = max((score for score, _ in scored), default=0.0)
    return [(score, place) for score, place in scored if score >= best - NEAR_TIE]


def _near_words(word: str, index: PlaceIndex) -> dict[str, float]:
    """Each name word this query word begins (1.0) or resembles (its similarity ratio)."""
    near = dict.fromkeys(index.words_beginning(word), 1.0)
    if len(word) >= SHORTEST_MISSPELT:
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        # Only words with the same first letter: a misspelling rarely changes it ("birmingam",
        # "Bettws-y-Coed"), and reading all 20,000 words took 30 ms. Our guess, not a rule.
        for name_word in index.by_first_letter.get(word[0], ()):
            if name_word in near or abs(len(name_word) - len(word)) > len(word) // 2:
                continue  # a ratio of 0.8 needs lengths within a quarter of each other's sum
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
        key=lambda item: (
            -item[0],
            item[1].rank,
            LEVEL_ORDER.index(item[1].area.level),
            item[1].area.name,
        ),
    )
    return tuple(AreaMatch(place.area, place) for _, place in ranked)
