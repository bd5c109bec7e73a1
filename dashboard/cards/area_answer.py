"""The answer an area page opens with: its latest figure of any offence, that figure's caveats,
and how it compares, as a rate, with England and Wales (or the UK) for the same offence and year.

A parent who lands on Thames Valley Police should read a number first, not be sent up through
the region and the nation to find one; and a number is never given without what it counts.
"""

from decimal import Decimal

from dashboard.cards.series import spoken
from dashboard.words import in_sentence, part_year_sentence
from stats.age_bands import band_label
from stats.nations import ONE_FORCE_NATIONS
from stats.numbers import format_value
from stats.rates import Denominators
from stats.records import FigureRecord

ENGLAND_AND_WALES, UNITED_KINGDOM = "K04000001", "K02000001"


BENCHMARK_NAMES = {ENGLAND_AND_WALES: "England and Wales", UNITED_KINGDOM: "the UK"}


def benchmark_areas(area_code: str) -> list[str]:
    """What an area is compared with, in order of preference: England and Wales for the areas
    inside it, else the UK (the NSPCC's totals have been for the UK since 2021/22); the UK for
    Scotland and Northern Ireland; nothing for the UK itself."""
    if area_code == UNITED_KINGDOM:
        return []
    if area_code == ENGLAND_AND_WALES or area_code[0] in "SN":
        return [UNITED_KINGDOM]
    return [ENGLAND_AND_WALES, UNITED_KINGDOM]


def benchmark_of(area_code: str, counterparts: list[FigureRecord]) -> FigureRecord | None:
    """The first of the area's benchmarks that has a figure."""
    by_area = {f.area_code: f for f in counterparts}
    return next((by_area[code] for code in benchmark_areas(area_code) if code in by_area), None)


def latest_of(figures: list[FigureRecord]) -> FigureRecord | None:
    """The area's latest current single-year figure, of any offence."""
    current = [f for f in figures if not f.is_superseded and f.period.is_single_year]
    return max(current, key=lambda f: (f.period.end, f.period.start), default=None)


def area_answer(
    latest: FigureRecord, series: list[FigureRecord], counterparts: list[FigureRecord], rates: Denominators
) -> list[str]:
    """Sentences: the latest figure, named, with its caveats; then the comparison, or why there is none.
    `counterparts` are the same offence, measure and period's figures in the benchmark areas."""
    sentences = [_latest_sentence(latest), *_caveats(latest, series)]
    wanted = benchmark_areas(latest.area_code)
    if wanted:
        benchmark = benchmark_of(latest.area_code, counterparts)
        sentences.append(_comparison(latest, benchmark, wanted, rates))
    return sentences


def _recorder(figure: FigureRecord) -> str:
    if figure.area_code in ONE_FORCE_NATIONS:
        return ONE_FORCE_NATIONS[figure.area_code]
    if figure.area_level == "police_force_area":
        return figure.area_name
    if figure.area_level == "region":
        return f"police in the {figure.area_name} region"
    return f"police in {'the ' if figure.area_name.startswith('United ') else ''}{figure.area_name}"


def _latest_sentence(figure: FigureRecord) -> str:
    recorder = _recorder(figure)
    said = (
        f"In {figure.period.label}, the latest year published here, {recorder} recorded {figure.display_value} "
        f"offence{'' if figure.value == 1 else 's'} counted as {in_sentence(figure.offence_name)}"
    )
    if figure.coverage:
        said += f"; the count covers {figure.coverage}"
    return said[0].upper() + said[1:] + "."


def _caveats(latest: FigureRecord, series: list[FigureRecord]) -> list[str]:
    caveats = []
    if latest.months_covered:
        caveats.append(part_year_sentence(spoken(latest, latest.display_value, latest.value)))
    earlier = [
        f
        for f in series
        if not f.is_superseded and f.period.kind == latest.period.kind and f.period.start < latest.period.start
    ]
    before = max(earlier, key=lambda f: f.period.start, default=None)
    # Under half the year before is worth a second look before anyone quotes it: a force's
    # incomplete return (Hampshire's 2023/24) looks exactly like this.
    if before is not None and before.value > 0 and latest.value * 2 < before.value:
        caveat = f"It is less than half the {before.display_value} of {before.period.label}"
        caveats.append(caveat + ("; read the source's note on the figure before using it." if latest.note else "."))
    return caveats


def _comparison(latest: FigureRecord, benchmark: FigureRecord | None, wanted: list[str], rates: Denominators) -> str:
    if benchmark is None:
        names = " or ".join(BENCHMARK_NAMES[code] for code in wanted)
        return f"There is no figure for {names} for the same offence and year to compare it with."
    name = BENCHMARK_NAMES[benchmark.area_code]
    here, there = rates.rate(latest).value, rates.rate(benchmark).value
    if here is None or there is None:
        return (
            f"{name} recorded {benchmark.display_value} for the same offence and year; no rate per 10,000 "
            "children can be given for both, so they cannot be compared fairly."
        )
    said = (
        f"That is {format_value(here, 'rate')} per 10,000 {band_label(rates.band)}, {_against(here, there)} "
        f"{format_value(there, 'rate')} across {name} for the same offence and year"
    )
    if benchmark.area_code == UNITED_KINGDOM:
        # The NSPCC's UK totals add Scotland's own offence to sexual communication with a child.
        said += " (the UK total also counts Scotland's offences of communicating indecently with a child)"
    return said + "."


def _against(here: Decimal, there: Decimal) -> str:
    # Rates are shown to one decimal place: two that read the same are "about the same".
    if format_value(here, "rate") == format_value(there, "rate"):
        return "about the same as the"
    return "higher than the" if here > there else "lower than the"
