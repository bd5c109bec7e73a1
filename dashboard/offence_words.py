"""Sentences for /about/ on how the offences' counts differ, generated from the figures held,
so they stay true when a year is added or restated."""

from collections import defaultdict

from dashboard.words import join_words, plural
from stats.records import FigureRecord

SEXUAL_COMMUNICATION, SEXUAL_GROOMING = "sexual-communication-with-a-child", "sexual-grooming"


def grooming_below_communication(figures: list[FigureRecord]) -> list[str]:
    """For each year in which some forces recorded fewer 88A offences (which include s.15A) than
    the NSPCC's s.15A count for them: a sign that the two count differently, never one line."""
    by_key: dict[tuple[str, str], dict[str, FigureRecord]] = defaultdict(dict)
    for figure in figures:
        by_key[(figure.period.label, figure.area_code)][figure.offence_slug] = figure
    below: dict[str, list[tuple[FigureRecord, FigureRecord]]] = defaultdict(list)
    for (period, _), pair in sorted(by_key.items()):
        grooming, communication = pair.get(SEXUAL_GROOMING), pair.get(SEXUAL_COMMUNICATION)
        if grooming and communication and grooming.value < communication.value:
            below[period].append((grooming, communication))
    return [
        f"In {period}, {plural(len(pairs), 'force')} recorded fewer 88A offences than the NSPCC's section 15A "
        f"count for {'it' if len(pairs) == 1 else 'them'}, among the forces whose count we hold ("
        + join_words(f"{g.area_name} {g.display_value} against {c.display_value}" for g, c in pairs)
        + "), probably because some section 15A offences were first recorded under another classification."
        for period, pairs in below.items()
    ]
