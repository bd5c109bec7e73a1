"""Horizontal bar charts as plain Plotly.js data, designed for a 360 px phone first.

Each bar's name is written above it across the full width (never squeezed into a
clipped axis), its value at its end; the value axis is hidden because every bar
carries its value, unit included.
"""

from dataclasses import dataclass

from dashboard.charts.style import HIGHLIGHT, PALETTE, base_layout, chart, plain

BAR_HEIGHT = 64  # pixels per bar: its name above and the bar below
ROOM_FOR_VALUES = 1.3  # the axis runs past the longest bar so its value label fits


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written: '40%', 'about 40%', '5.8'
    highlighted: bool = False  # 'this area': a different colour and a hatch, and said in the label


def bar_chart(bars: list[Bar]) -> dict:
    """Largest at the top."""
    ordered = sorted(bars, key=lambda bar: bar.value)
    positions = list(range(len(ordered)))
    longest = max((bar.value for bar in ordered), default=0) or 1
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [bar.value for bar in ordered],
            "y": positions,
            "width": 0.42,
            "text": [plain(bar.text) for bar in ordered],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": [plain(f"{bar.label}: {bar.text}") for bar in ordered],
            "hoverinfo": "text",
            "marker": {
                "color": [HIGHLIGHT if bar.highlighted else PALETTE[0] for bar in ordered],
                "pattern": {"shape": ["/" if bar.highlighted else "" for bar in ordered]},
            },
        }
    ]
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
        height=24 + BAR_HEIGHT * len(ordered),
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        bargap=0.5,
        xaxis={"visible": False, "range": [0, longest * ROOM_FOR_VALUES], "fixedrange": True},
        yaxis={"visible": False, "range": [-0.5, len(ordered) - 0.2], "fixedrange": True},
        annotations=names,
    )
    return chart(data, layout)
