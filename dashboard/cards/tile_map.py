"""The tile map card: every police force area for one offence, measure and period, by count or rate."""

from dataclasses import dataclass

from django.urls import reverse

from dashboard.cards.card import PERIOD, RATE, SOURCE, VALUE, Card, Column, Row, file_slug, offence_short
from dashboard.cards.ranks import Placed, highest_and_lowest_words, place_words, ranked, where_it_stands
from dashboard.cards.trend import rate_notes
from dashboard.charts.tile_map import Tile, layout, legend_steps, tile_map, value_range
from dashboard.words import in_sentence, join_words, plural
from stats.age_bands import band_label
from stats.numbers import format_value
from stats.rates import Denominators
from stats.records import FigureRecord, ForceCoverage

SORTS = {"rate": "highest rate first", "count": "highest count first", "area": "area name"}
NO_DATA = "no data"
WORTH_A_MAP = 0.5  # the home page shows a map only when at least this share of forces has a value


@dataclass(frozen=True)
class MapChoice:
    offence: str
    measure: str
    period: str  # the period's label
    show_rate: bool
    band: str
    area_code: str = ""  # "your area": a force or a region, for the summary
    area_name: str = ""
    forces_in_area: tuple[str, ...] = ()
    sort: str = "rate"

    @property
    def key(self) -> tuple[str, str, str]:
        """(offence, measure, period label): which figures the map shows."""
        return self.offence, self.measure, self.period


def busiest_period(coverage: list[ForceCoverage], forces_of) -> tuple[str, str, str] | None:
    """The (offence, measure, period label) that the most forces have a figure for; ties go to the latest."""
    counted = [c for c in coverage if c.period.is_single_year and forces_of(c)]
    if not counted:
        return None
    busiest = max(counted, key=lambda c: (forces_of(c), c.period.start, c.measure_slug == "offences-recorded"))
    return busiest.offence_slug, busiest.measure_slug, busiest.period.label


def default_choice(coverage: list[ForceCoverage], rates: Denominators) -> MapChoice | None:
    """Maps open on rates, for the period with a rate for the most forces, else with a count for the most."""
    busiest = busiest_period(coverage, lambda c: c.forces_with_rate)
    with_rate = busiest is not None
    busiest = busiest or busiest_period(coverage, lambda c: c.forces)
    if busiest is None:
        return None
    offence, measure, period = busiest
    return MapChoice(offence, measure, period, show_rate=with_rate, band=rates.band)


def forces_with_values(coverage: list[ForceCoverage], choice: MapChoice) -> int:
    chosen = next((c for c in coverage if (c.offence_slug, c.measure_slug, c.period.label) == choice.key), None)
    if chosen is None:
        return 0
    return chosen.forces_with_rate if choice.show_rate else chosen.forces


def complete_periods(coverage: list[ForceCoverage], choice: MapChoice, forces: int) -> list[str]:
    """The periods for which every police force area has a count of the chosen offence and measure."""
    complete = [
        c.period
        for c in coverage
        if (c.offence_slug, c.measure_slug) == (choice.offence, choice.measure) and c.forces >= forces
    ]
    return [period.label for period in sorted(complete, key=lambda p: p.start)]


def is_worth_a_map(coverage: list[ForceCoverage], choice: MapChoice, forces: int) -> bool:
    return forces_with_values(coverage, choice) >= forces * WORTH_A_MAP


def _chosen(figures: list[FigureRecord], choice: MapChoice) -> dict[str, FigureRecord]:
    return {f.area_code: f for f in figures if (f.offence_slug, f.measure_slug, f.period.label) == choice.key}


def map_card(
    figures: list[FigureRecord],
    forces: dict[str, str],
    choice: MapChoice,
    rates: Denominators,
    complete: list[str] = (),
) -> Card:
    """`forces`: every police force area, code -> name, whether or not it has a figure.
    `figures`: the chosen offence, measure and period's (others are left out).
    `complete`: the periods every force has a count for (complete_periods), said in the summary."""
    chosen = _chosen(figures, choice)
    rate_of = {f.id: rates.rate(f) for f in chosen.values()}

    def value_of(figure: FigureRecord):
        return rate_of[figure.id].value if choice.show_rate else figure.value

    unit = "rate" if choice.show_rate else "count"
    places = layout()
    tiles = []
    for code, name in forces.items():
        if code not in places:
            continue  # a force added in the admin gets a tile once tile_layout.csv places it
        figure = chosen.get(code)
        value = value_of(figure) if figure else None
        why = NO_DATA if figure is None else rate_of[figure.id].reason
        shown = format_value(value, unit, "" if choice.show_rate else figure.qualifier) if value is not None else why
        tiles.append(
            Tile(
                places[code], name, reverse("area", args=[code]), value, shown, NO_DATA if figure is None else "no rate"
            )
        )
    ordered = _table_order(list(chosen.values()), choice.sort, value_of)
    any_figure = next(iter(chosen.values()), None)
    what = in_sentence(any_figure.measure_name) if any_figure else choice.measure.replace("-", " ")
    legend = f"{what} per 10,000 {band_label(choice.band)}" if choice.show_rate else what
    offence = in_sentence(any_figure.offence_name) if any_figure else choice.offence.replace("-", " ")
    low, high = value_range(tiles)
    notes = [
        "Each square is one police force area, placed roughly where it is; all squares are the same size.",
        f"The table lists the {len(ordered)} forces with a figure, sorted by {SORTS[choice.sort]}; "
        "every area name links to its page.",
    ]
    if choice.show_rate:
        notes += rate_notes(list(rate_of.values()), choice.band)[:1]
    return Card(
        slug="map",
        title=f"Police force areas, {choice.period}: {offence}, {legend}",
        summary=map_summary(tiles, choice, f"{offence}, {legend}", complete),
        rows=[Row(f, rate_of[f.id].fields(), reverse("area", args=[f.area_code])) for f in ordered],
        columns=[Column("Area", lambda row: row.figure.area_name), PERIOD, VALUE, RATE, SOURCE],
        filename=file_slug(
            "police-force-areas",
            offence_short(choice.offence),
            "per-10000-children" if choice.show_rate else "",
            choice.period,
        ),
        chart=tile_map(tiles),
        legend=[(colour, f"from {format_value(start, unit)}") for colour, start in legend_steps(low, high)]
        + [("", "dotted outline, no colour: no published figure for this period, which is not zero")],
        notes=notes,
    )


def _table_order(figures: list[FigureRecord], sort: str, value_of) -> list[FigureRecord]:
    """By name, or in the one order of dashboard/cards/ranks.py (the summary's), those with no value last."""
    if sort == "area":
        return sorted(figures, key=lambda f: f.area_name)
    value = value_of if sort == "rate" else (lambda f: f.value)
    placed = [p.item for p in ranked(figures, value=value, name=lambda f: f.area_name, shown=str)]
    return placed + sorted((f for f in figures if value(f) is None), key=lambda f: f.area_name)


def map_summary(tiles: list[Tile], choice: MapChoice, legend: str, complete: list[str] = ()) -> str:
    ranking = ranked(tiles, value=lambda t: t.value, name=lambda t: t.name, shown=lambda t: t.display)
    unpublished = sum(1 for t in tiles if t.short == NO_DATA)
    # A count with no rate to show beside it, and why (City of London: too few children).
    withheld_tiles = [t for t in tiles if t.value is None and t.short != NO_DATA]
    withheld = len(withheld_tiles)
    if not ranking and not withheld:
        return f"No police force area has a published figure for {choice.period}."
    if not ranking:
        return (
            f"In {choice.period}, {plural(withheld, 'police force area')} "
            f"{'have' if withheld > 1 else 'has'} a published count, but no rate can be given for any of them. "
            "Choose Count to see the figures."
        )
    sentence = (
        f"In {choice.period}, {len(ranking)} of the {len(tiles)} police force areas have a figure for {legend}: "
        f"{highest_and_lowest_words(ranking)}."
    )
    if unpublished:
        sentence += f" {unpublished} {'have' if unpublished > 1 else 'has'} no published figure."
    if withheld == 1:
        sentence += f" {withheld_tiles[0].name} has a count but no rate ({withheld_tiles[0].display})."
    elif withheld:
        sentence += f" {withheld} have a count but no rate."
    if complete == [choice.period]:
        sentence += f" {choice.period} is the only year for which every force's figure is published here."
    elif choice.period in complete:
        sentence += f" Every force's figure is published here for {join_words(complete)}."
    if choice.area_code:
        sentence += " " + _where_it_stands(choice, ranking)
    return sentence


def _where_it_stands(choice: MapChoice, ranking: list[Placed[Tile]]) -> str:
    among = f"the {len(ranking)} police force areas with a figure"
    position = {placed.item.place.code: placed for placed in ranking}
    if choice.area_code in position:
        return where_it_stands(position[choice.area_code], among)
    inside = [position[code] for code in choice.forces_in_area if code in position]
    if not inside:
        return f"No force in {choice.area_name} has a figure for this period."
    inside.sort(key=lambda placed: (placed.place, placed.name))
    places = join_words(f"{placed.name} is {place_words(placed)} ({placed.shown})" for placed in inside)
    return f"Of {among}, in {choice.area_name}: {places}."
