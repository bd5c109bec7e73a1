"""The tile map card: every police force area for one offence, measure and period, by count or rate."""

from collections import Counter
from dataclasses import dataclass

from django.urls import reverse

from stats.cards import PERIOD, RATE, SOURCE, VALUE, Card, Column, figure_record, last_updated, sources_of
from stats.charts import tile_map
from stats.models import Figure, Geography, Period, Population
from stats.numbers import format_value
from stats.rates import Denominators
from stats.tiles import Tile, layout

SORTS = {"rate": "highest rate first", "count": "highest count first", "area": "area name"}


@dataclass(frozen=True)
class MapChoice:
    offence: str
    measure: str
    period: Period
    show_rate: bool
    band: str
    area: Geography | None = None  # "your area": a force or a region, for the summary
    forces_in_area: tuple[str, ...] = ()
    sort: str = "rate"


NO_DATA = "no data"


def busiest_period(figures: list[Figure]) -> tuple[str, str, Period] | None:
    """The (offence, measure, single-year period) that the most forces have a figure for; ties go to the latest."""
    counts = Counter(
        (f.offence.slug, f.measure.slug, f.period_id) for f in figures if f.period.kind != Period.Kind.OTHER
    )
    if not counts:
        return None
    periods = {f.period_id: f.period for f in figures}
    offence, measure, period_id = max(
        counts, key=lambda key: (counts[key], periods[key[2]].start, key[1] == "offences-recorded")
    )
    return offence, measure, periods[period_id]


def map_card(figures: list[Figure], forces: list[Geography], choice: MapChoice, rates: Denominators) -> Card:
    chosen = {
        f.geography_id: f
        for f in figures
        if f.offence.slug == choice.offence and f.measure.slug == choice.measure and f.period_id == choice.period.pk
    }
    rate_of = {f.pk: rates.rate(f) for f in chosen.values()}
    value_of = (lambda f: rate_of[f.pk].value) if choice.show_rate else (lambda f: f.value)
    unit = "rate" if choice.show_rate else "count"
    places = layout()
    tiles = []
    for force in forces:
        if force.code not in places:
            continue  # a force added in the admin gets a tile once stats/tile_layout.csv places it
        figure = chosen.get(force.pk)
        value = value_of(figure) if figure else None
        why = NO_DATA if figure is None else rate_of[figure.pk].reason
        tiles.append(
            Tile(
                places[force.code],
                force.name,
                reverse("area", args=[force.code]),
                value,
                format_value(value, unit) if value is not None else why,
            )
        )
    shown = sorted(chosen.values(), key=_sort_key(choice.sort, value_of))
    any_figure = next(iter(chosen.values()), None)
    what = any_figure.measure.name.lower() if any_figure else choice.measure.replace("-", " ")
    legend = f"{what} per 10,000 {Population.AgeBand(choice.band).label}" if choice.show_rate else what
    rows = []
    for f in shown:
        row = figure_record(f, rate_of[f.pk])
        row["area_url"] = reverse("area", args=[f.geography.code])
        rows.append(row)
    return Card(
        slug="map",
        title=f"Police force areas, {choice.period.label}: {legend}",
        summary=map_summary(tiles, choice, legend, unit),
        rows=rows,
        columns=[Column("area", "Area", link_key="area_url"), PERIOD, VALUE, RATE, SOURCE],
        sources=sources_of(shown),
        chart=tile_map(tiles, legend=legend.capitalize()),
        notes=[
            "Each square is one police force area, placed roughly where it is; all squares are the same size.",
            "Darker squares have lower values and lighter, yellower squares higher ones. "
            "Squares with a dotted outline and no colour have no published figure for this period: that is not zero.",
            f"The table lists the {len(shown)} forces with a figure, sorted by {SORTS[choice.sort]}; "
            "every area name links to its page.",
        ],
        last_updated=last_updated(shown),
    )


def _sort_key(sort: str, value_of):
    if sort == "area":
        return lambda f: f.geography.name
    if sort == "count":
        return lambda f: -f.value
    return lambda f: (value_of(f) is None, -(value_of(f) or 0), f.geography.name)


def map_summary(tiles: list[Tile], choice: MapChoice, legend: str, unit: str) -> str:
    ranked = sorted((t for t in tiles if t.value is not None), key=lambda t: t.value, reverse=True)
    unpublished = sum(1 for t in tiles if t.display == NO_DATA)
    withheld = len(tiles) - len(ranked) - unpublished  # a count with no rate to show beside it
    if not ranked and not withheld:
        return f"No police force area has a published figure for {choice.period.label}."
    if not ranked:
        return (
            f"In {choice.period.label}, {withheld} police force area{'s have' if withheld > 1 else ' has'} a "
            f"published count, but no rate can be given for any of them. Choose Count to see the figures."
        )
    top, bottom = ranked[0], ranked[-1]
    sentence = (
        f"In {choice.period.label}, {len(ranked)} of the {len(tiles)} police force areas have a figure for {legend}: "
        f"{top.name} had the highest ({top.display}) and {bottom.name} the lowest ({bottom.display}). "
        f"{unpublished} have no published figure."
    )
    if withheld:
        sentence += f" {withheld} {'have a count' if withheld > 1 else 'has a count'} but no rate."
    if choice.area is not None:
        sentence += " " + _where_it_stands(choice.area, choice.forces_in_area, ranked)
    return sentence


def _where_it_stands(area: Geography, forces_in_area: tuple[str, ...], ranked: list[Tile]) -> str:
    position = {tile.place.code: (place, tile) for place, tile in enumerate(ranked, start=1)}
    if area.code in position:
        place, tile = position[area.code]
        return f"{area.name} ranks {place} of {len(ranked)} ({tile.display})."
    inside = [position[code] for code in forces_in_area if code in position]
    if not inside:
        return f"No force in {area.name} has a figure for this period."
    return (
        f"In {area.name}: " + ", ".join(f"{tile.name} ranks {place}" for place, tile in inside) + f" of {len(ranked)}."
    )
