"""The tile map: one equal square per police force area, coloured by value, as plain Plotly.js data.

The layout is data, in tile_layout.csv beside this file (code, a three-letter label,
row and column), on a grid that keeps neighbours roughly neighbours (north at the
top, west on the left). The colour scale is explained in words under the map
(`legend`), so it survives on a phone where a colour bar would not fit.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from dashboard.charts.style import base_layout, chart, plain

LAYOUT_FILE = Path(__file__).resolve().parent / "tile_layout.csv"
# Viridis: colour-blind safe, and its lightness rises steadily, so it reads in greyscale too.
VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]
LEGEND_STEPS = (0, 3, 6, 9)  # the colours the legend names, darkest to lightest
NO_DATA_FILL = "#ffffff"


@dataclass(frozen=True)
class Place:
    code: str
    label: str
    row: int
    col: int


@cache
def layout() -> dict[str, Place]:
    with LAYOUT_FILE.open(encoding="utf-8") as handle:
        return {r["code"]: Place(r["code"], r["label"], int(r["row"]), int(r["col"])) for r in csv.DictReader(handle)}


@dataclass(frozen=True)
class Tile:
    place: Place
    name: str
    url: str
    value: Decimal | None  # None: no value to colour by (no data, or no rate), which is not zero
    display: str  # the value as shown, or why there is none
    short: str  # what the tile itself says when there is no value: 'no data' or 'no rate'


def tile_map(tiles: list[Tile]) -> dict:
    """Each tile carries its area page's address, which the page's script follows on click."""
    low, high = value_range(tiles)
    shapes, fills = [], {}
    for tile in tiles:
        fill = colour_of(tile.value, low, high) if tile.value is not None else NO_DATA_FILL
        fills[tile.place.code] = fill
        shapes.append(
            {
                "type": "rect",
                "x0": tile.place.col + 0.04,
                "x1": tile.place.col + 0.96,
                "y0": tile.place.row + 0.04,
                "y1": tile.place.row + 0.96,
                "fillcolor": fill,
                "line": {"color": "#484949", "width": 1, "dash": "solid" if tile.value is not None else "dot"},
                "layer": "below",
            }
        )
    data = [
        {
            "type": "scatter",
            "x": [t.place.col + 0.5 for t in tiles],
            "y": [t.place.row + 0.5 for t in tiles],
            "mode": "text",
            "text": [f"<b>{t.place.label}</b><br>{t.display if t.value is not None else t.short}" for t in tiles],
            "textfont": {"size": 11, "color": [_text_colour(fills[t.place.code]) for t in tiles]},
            "hovertext": [plain(f"{t.name}: {t.display}") for t in tiles],
            "hoverinfo": "text",
            "customdata": [t.url for t in tiles],
        }
    ]
    layout_ = base_layout(
        height=560,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        shapes=shapes,
        xaxis={"visible": False, "range": [0.9, 8.1], "fixedrange": True},
        yaxis={"visible": False, "range": [9.1, -0.1], "fixedrange": True, "scaleanchor": "x"},
    )
    return chart(data, layout_, linksOnClick=True)


def value_range(tiles: list[Tile]) -> tuple[Decimal, Decimal]:
    values = [t.value for t in tiles if t.value is not None]
    return (min(values), max(values)) if values else (Decimal(0), Decimal(1))


def colour_of(value: Decimal, low: Decimal, high: Decimal) -> str:
    share = float((value - low) / (high - low)) if high > low else 1.0
    return VIRIDIS[min(9, int(share * 10))]


def legend_steps(low: Decimal, high: Decimal) -> list[tuple[str, Decimal]]:
    """(colour, the value at which that colour begins), darkest first, for the legend in words."""
    return [(VIRIDIS[step], low + (high - low) * Decimal(step) / 10) for step in LEGEND_STEPS]


def _text_colour(fill: str) -> str:
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#0b0c0c" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"
