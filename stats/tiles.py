"""The tile map's layout: one equal square per police force area, on a grid that keeps
neighbours roughly neighbours (north at the top, west on the left). The layout is data,
in stats/tile_layout.csv: code, a three-letter label, row and column."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

LAYOUT_FILE = Path(__file__).resolve().parent / "tile_layout.csv"


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
    value: Decimal | None  # None: no data for this period, which is not zero
    display: str  # the value as shown, or why there is none
