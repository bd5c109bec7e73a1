"""Trend charts: yearly values as lines over time, built as plain Plotly.js data.

Designed for a 360 px phone first: one x tick per period, labelled as the period is
("2023/24"), never repeated; value labels above the higher point and below the lower
one where lines meet, so they never sit on each other; key dates as numbered badges
above the plot, explained in words right under the chart; the legend in words too.
"""

import datetime as dt
import itertools
from dataclasses import dataclass

from dashboard.charts.style import DASH_WORDS, DASHES, GRID, PALETTE, SYMBOL_WORDS, SYMBOLS, base_layout, chart, plain

HEADROOM = 1.22  # the value axis runs this far above the highest point, so its label fits inside
MARKER_SIZE = 10
RING_SIZE = 20  # an earlier, restated value: a ring that a line's marker fits inside


@dataclass(frozen=True)
class Point:
    x: dt.date  # the middle of the period
    y: float
    text: str  # the value as written on the chart
    hover: str


@dataclass(frozen=True)
class Line:
    name: str
    points: list[Point | None]  # None breaks the line: a gap is never bridged


@dataclass(frozen=True)
class Tick:
    x: dt.date
    label: str


@dataclass(frozen=True)
class Marker:
    x: dt.date
    number: int
    hover: str


def trend_chart(
    lines: list[Line],
    *,
    ticks: list[Tick],
    x_range: tuple[dt.date, dt.date],
    restated: list[Point] = (),
    markers: list[Marker] = (),
    percent: bool = False,
) -> dict:
    positions = _label_positions(lines)
    data = []
    for index, line in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        data.append(
            {
                "type": "scatter",
                "name": plain(line.name),
                "x": [p.x.isoformat() if p else None for p in line.points],
                "y": [p.y if p else None for p in line.points],
                "text": [p.text if p and positions.get((index, i)) else "" for i, p in enumerate(line.points)],
                "textposition": [positions.get((index, i), "top center") for i in range(len(line.points))],
                "hovertext": [p.hover if p else "" for p in line.points],
                "hoverinfo": "text",
                "mode": "lines+markers+text",
                "connectgaps": False,
                "cliponaxis": False,
                "line": {"color": colour, "dash": DASHES[index % len(DASHES)], "width": 3},
                "marker": {"symbol": SYMBOLS[index % len(SYMBOLS)], "size": MARKER_SIZE, "color": colour},
            }
        )
    if restated:
        data.append(
            {
                "type": "scatter",
                "name": "Earlier release, since restated",
                "x": [p.x.isoformat() for p in restated],
                "y": [p.y for p in restated],
                "hovertext": [p.hover for p in restated],
                "hoverinfo": "text",
                "mode": "markers",
                # A ring wider than the marker of the line it sits on: the restated value is
                # often a hair from the current one (3,171 and 3,217), and must not hide behind it.
                "marker": {"symbol": "circle-open", "size": RING_SIZE, "color": "#484949", "line": {"width": 2}},
            }
        )
    highest = max([p.y for line in lines for p in line.points if p] + [p.y for p in restated] + [0])
    value_axis = {
        "range": [0, (highest or 1) * HEADROOM],
        "gridcolor": GRID,
        "fixedrange": True,
        "tickformat": ",~r",
        "automargin": True,
        "zeroline": True,
        "zerolinecolor": "#b1b4b6",
    }
    if percent:
        value_axis["ticksuffix"] = "%"
    layout = base_layout(
        margin={"l": 8, "r": 16, "t": 36 if markers else 12, "b": 8, "pad": 4},
        height=340,
        xaxis={
            "type": "date",
            "range": [_padded(x_range[0], -1), _padded(x_range[1], 1)],
            # One tick per period, at its middle, labelled as the source labels it. The page's
            # script keeps every second or third on a narrow screen; none is ever repeated.
            "tickmode": "array",
            "tickvals": [t.x.isoformat() for t in ticks],
            "ticktext": [plain(t.label) for t in ticks],
            "tickangle": 0,
            "showgrid": False,
            "fixedrange": True,
            "automargin": True,
        },
        yaxis=value_axis,
        annotations=[_badge(marker) for marker in markers],
    )
    return chart(data, layout)


def drawn_as(line: Line, index: int) -> str:
    """How line `index` looks on the chart, in words, as it is drawn: 'solid line with circles';
    'circles, not joined' where no two points are next to each other (a line is never drawn
    across a gap); 'solid line with circles, broken where a year is missing' in between."""
    symbol = SYMBOL_WORDS[index % len(SYMBOL_WORDS)]
    drawn = [point is not None for point in line.points]
    if not any(a and b for a, b in itertools.pairwise(drawn)):
        return f"{symbol}, not joined (no figure for the years between)" if sum(drawn) > 1 else symbol
    style = f"{DASH_WORDS[index % len(DASH_WORDS)]} with {symbol}"
    return f"{style}, broken where a year is missing" if not all(drawn) else style


def _label_positions(lines: list[Line]) -> dict[tuple[int, int], str]:
    """Where each point's value label goes: where lines share a period, the highest point's
    label above it and the lowest's below; any between go unlabelled (the table has them)."""
    at: dict[dt.date, list[tuple[float, int, int]]] = {}
    for line_index, line in enumerate(lines):
        for point_index, point in enumerate(line.points):
            if point is not None:
                at.setdefault(point.x, []).append((point.y, line_index, point_index))
    positions = {}
    for points in at.values():
        points.sort()
        top = points[-1]
        positions[top[1:]] = "top center"
        if len(points) > 1:
            positions[points[0][1:]] = "bottom center"
    return positions


def _padded(day: dt.date, direction: int) -> str:
    return (day + dt.timedelta(days=45 * direction)).isoformat()


def _badge(marker: Marker) -> dict:
    return {
        "x": marker.x.isoformat(),
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": 6,
        "text": f"<b>{marker.number}</b>",
        "hovertext": plain(marker.hover),
        "showarrow": False,
        "font": {"size": 13, "color": "#0b0c0c"},
        "bgcolor": "#f3f2f1",
        "bordercolor": "#484949",
        "borderpad": 3,
    }
