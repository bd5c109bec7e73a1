"""Horizontal bar charts as plain Plotly.js data, designed for a 360 px phone first.

Each bar's name is written above it across the full width (never squeezed into a
clipped axis), its value at its end; the value axis is hidden because every bar
carries its value, unit included. A share is different: 12% stretched to fill the
width reads as "most", so a share's bars lie on a pale track of the whole, on an axis
from 0 to 100% with its scale drawn (`share=True`).
"""

from dataclasses import dataclass

from dashboard.charts.style import GRID, HIGHLIGHT, PALETTE, base_layout, chart, plain

BAR_HEIGHT = 64  # pixels per bar: its name above and the bar below
ROOM_FOR_VALUES = 1.3  # the axis runs past the longest bar so its value label fits
TRACK = "#f3f2f1"  # the whole a share is part of: pale, outlined, behind the bar
SCALE_ROOM = 28  # pixels under a share's bars for its scale
WHOLE = 100  # a share is a percentage: its axis always runs to 100%


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written: '40%', 'about 40%', '5.8'
    highlighted: bool = False  # 'this area': a different colour and a hatch, and said in the label


def bar_chart(bars: list[Bar], *, share: bool = False) -> dict:
    """Largest at the top; bars of equal value stay in the order given, so the chart lists
    them as the card's table and words do (dashboard/cards/ranks.py).

    A `share` (a percentage of a whole) is drawn on an axis from 0 to 100% with its scale shown,
    each bar on a track of the whole, its value inside its end where it would not fit after it."""
    top_down = sorted(bars, key=lambda bar: -bar.value)
    ordered = top_down[::-1]  # Plotly draws the first position at the bottom
    positions = list(range(len(ordered)))
    longest = max((bar.value for bar in ordered), default=0) or 1
    data = [_track(positions)] if share else []
    data.append(
        {
            "type": "bar",
            "orientation": "h",
            "x": [bar.value for bar in ordered],
            "y": positions,
            "width": 0.42,
            "text": [plain(bar.text) for bar in ordered],
            "textposition": [_text_position(bar, share) for bar in ordered],
            "insidetextanchor": "end",
            "insidetextfont": {"color": ["#0b0c0c" if bar.highlighted else "#ffffff" for bar in ordered]},
            "cliponaxis": False,
            "hovertext": [plain(f"{bar.label}: {bar.text}") for bar in ordered],
            "hoverinfo": "text",
            "marker": {
                "color": [HIGHLIGHT if bar.highlighted else PALETTE[0] for bar in ordered],
                "pattern": {"shape": ["/" if bar.highlighted else "" for bar in ordered]},
            },
        }
    )
    names = [
        {
            "x": 0,
            "xref": "x",
            "xanchor": "left",
            "y": position + 0.26,
            "yref": "y",
            "yanchor": "bottom",
            "text": plain(bar.label) if not bar.highlighted else f"<b>{plain(bar.label)}</b>",
            "showarrow": False,
            "align": "left",
        }
        for position, bar in zip(positions, ordered, strict=True)
    ]
    layout = base_layout(
        height=24 + BAR_HEIGHT * len(ordered) + (SCALE_ROOM if share else 0),
        # A share's scale writes "0%" and "100%" centred on the plot's edges: room for half of each.
        margin={"l": 16 if share else 4, "r": 24 if share else 4, "t": 4, "b": 4},
        bargap=0.5,
        barmode="overlay",
        xaxis={**_SCALE} if share else {"visible": False, "range": [0, longest * ROOM_FOR_VALUES], "fixedrange": True},
        yaxis={"visible": False, "range": [-0.5, len(ordered) - 0.2], "fixedrange": True},
        annotations=names,
    )
    return chart(data, layout)


def _track(positions: list[int]) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "x": [WHOLE] * len(positions),
        "y": positions,
        "width": 0.42,
        "hoverinfo": "skip",
        "marker": {"color": TRACK, "line": {"color": "#b1b4b6", "width": 1}},
    }


def _text_position(bar: Bar, share: bool) -> str:
    # Past about half the whole, a long label ('88.0% (650 of 732)') would run off the axis.
    return "inside" if share and bar.value > WHOLE * 0.55 else "outside"


_SCALE = {
    "visible": True,
    "range": [0, WHOLE],
    "fixedrange": True,
    "tickvals": [0, 25, 50, 75, 100],
    "ticktext": ["0%", "25%", "50%", "75%", "100%"],
    "showgrid": True,
    "gridcolor": GRID,
    "zeroline": True,
    "zerolinecolor": "#b1b4b6",
    "automargin": True,
    "ticklabeloverflow": "allow",
}
