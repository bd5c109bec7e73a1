"""Chart builders: data in, a Plotly figure (as a plain dict) out. No database, no request.

Shared choices: the Okabe-Ito palette, which colour-blind readers can tell apart;
a different marker and dash for every line and value labels on the points, so
colour is never the only cue; year ticks on whole years; thousands separators;
no mode bar; the "none" template, so pages do not carry Plotly's default theme.
"""

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from stats.models import Figure, KeyDate
from stats.numbers import format_value
from stats.series import Trend
from stats.tiles import Tile

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]
HIGHLIGHT = "#D55E00"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 14, "color": "#0b0c0c"}
CONFIG = {"displayModeBar": False, "responsive": True}


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    unit: str
    highlighted: bool = False


ValueOf = Callable[[Figure], Decimal | None]


def _count(figure: Figure) -> Decimal:
    return figure.value


def trend_chart(trend: Trend, key_dates: list[KeyDate], value_of: ValueOf = _count, unit: str = "") -> dict:
    """Lines of yearly figures; key_dates (already within the span) are numbered dotted lines.

    value_of picks what is plotted (the count, or a rate); a point without a value is a gap.
    """
    unit = unit or trend.plotted[0].unit
    fig = go.Figure()
    for index, line in enumerate(trend.lines):
        x, y, text, hover = _with_gaps(line.figures, value_of, unit)
        fig.add_trace(
            go.Scatter(
                name=_plain(line.name),
                x=x,
                y=y,
                text=text,
                hovertext=hover,
                hoverinfo="text",
                mode="lines+markers+text",
                textposition="top center",
                connectgaps=False,
                line={"color": PALETTE[index % 7], "dash": DASHES[index % 7], "width": 3},
                marker={"symbol": SYMBOLS[index % 7], "size": 10, "color": PALETTE[index % 7]},
            )
        )
    restated = [f for f in trend.restated if value_of(f) is not None]
    if restated:
        fig.add_trace(
            go.Scatter(
                name="Earlier release, since restated",
                x=[_midpoint(f) for f in restated],
                y=[float(value_of(f)) for f in restated],
                hovertext=[f"{_hover(f, value_of(f), unit)} (earlier release, since restated)" for f in restated],
                hoverinfo="text",
                mode="markers",
                marker={"symbol": "circle-open", "size": 12, "color": "#484949", "line": {"width": 2}},
            )
        )
    start, end = trend.span
    shapes, notes = [], []
    for number, key_date in enumerate(key_dates, start=1):
        shapes.append(_vertical_line(key_date.date))
        notes.append(_date_label(key_date.date, str(number)))
    fig.update_layout(
        _layout(unit),
        xaxis={
            "type": "date",
            # Ticks on 1 January, labelled with the year; Plotly spaces them one or more
            # whole years apart to fit the width, and never tilts them.
            "tickformat": "%Y",
            "nticks": 10,
            "tickangle": 0,
            "range": [dt.date(start.year, 1, 1).isoformat(), dt.date(end.year + 1, 1, 1).isoformat()],
            "showgrid": False,
            "fixedrange": True,
        },
        shapes=shapes,
        annotations=notes,
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    )
    return {**fig.to_plotly_json(), "config": CONFIG}


def bar_chart(bars: list[Bar]) -> dict:
    """Horizontal bars, largest at the top, each labelled with its value."""
    ordered = sorted(bars, key=lambda bar: bar.value)  # largest drawn at the top
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[float(bar.value) for bar in ordered],
            y=[_plain(bar.label) for bar in ordered],
            text=[format_value(bar.value, bar.unit) for bar in ordered],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="y+text",
            marker={
                "color": [HIGHLIGHT if bar.highlighted else PALETTE[0] for bar in ordered],
                "pattern": {"shape": ["/" if bar.highlighted else "" for bar in ordered]},
            },
        )
    )
    fig.update_layout(
        _layout(ordered[0].unit if ordered else "count"),
        height=max(220, 60 + 44 * len(ordered)),
        yaxis={"automargin": True, "fixedrange": True},
        showlegend=False,
    )
    fig.update_xaxes(showgrid=True, gridcolor="#dddddd", rangemode="tozero", fixedrange=True)
    return {**fig.to_plotly_json(), "config": CONFIG}


# Viridis: colour-blind safe, and its lightness rises steadily, so it reads in greyscale too.
VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]
NO_DATA_FILL = "#ffffff"


def tile_map(tiles: list[Tile], *, legend: str) -> dict:
    """Equal squares for the police force areas, coloured by value; hollow dashed squares have no data.

    Each tile carries its area page's address, which the page's script follows on click.
    """
    values = [t.value for t in tiles if t.value is not None]
    low, high = (min(values), max(values)) if values else (Decimal(0), Decimal(1))
    shapes, fills = [], {}
    for tile in tiles:
        fill = _viridis(tile.value, low, high) if tile.value is not None else NO_DATA_FILL
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
    fig = go.Figure(
        go.Scatter(
            x=[t.place.col + 0.5 for t in tiles],
            y=[t.place.row + 0.5 for t in tiles],
            mode="text",
            text=[f"<b>{t.place.label}</b><br>{_tile_text(t)}" for t in tiles],
            textfont={"size": 11, "color": [_text_colour(fills[t.place.code]) for t in tiles]},
            hovertext=[_plain(f"{t.name}: {t.display}") for t in tiles],
            hoverinfo="text",
            customdata=[t.url for t in tiles],
            showlegend=False,
        )
    )
    if values:  # an invisible trace that draws the colour scale, with its meaning in words
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={
                    "colorscale": [[i / 9, c] for i, c in enumerate(VIRIDIS)],
                    "cmin": float(low),
                    "cmax": float(high),
                    "color": [float(low)],
                    "showscale": True,
                    "colorbar": {"title": {"text": _plain(legend), "side": "right"}, "thickness": 14, "len": 0.8},
                },
            )
        )
    fig.update_layout(
        template="none",
        font=FONT,
        height=560,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        shapes=shapes,
        xaxis={"visible": False, "range": [0.9, 8.1], "fixedrange": True},
        yaxis={"visible": False, "range": [9.1, -0.1], "fixedrange": True, "scaleanchor": "x"},
        hovermode="closest",
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
    return {**fig.to_plotly_json(), "config": CONFIG, "linksOnClick": True}


def _tile_text(tile: Tile) -> str:
    """The value; or 'no data' where nothing was published; or 'no rate' where a rate is withheld."""
    if tile.value is not None:
        return tile.display
    return "no data" if tile.display == "no data" else "no rate"


def _viridis(value: Decimal, low: Decimal, high: Decimal) -> str:
    share = float((value - low) / (high - low)) if high > low else 1.0
    return VIRIDIS[min(9, int(share * 10))]


def _text_colour(fill: str) -> str:
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#0b0c0c" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def _layout(unit: str) -> dict:
    value_axis = {"rangemode": "tozero", "gridcolor": "#dddddd", "fixedrange": True, "tickformat": ",~r"}
    if unit == "percent":
        value_axis["ticksuffix"] = "%"
    return {
        "template": "none",
        "font": FONT,
        "separators": ".,",
        "margin": {"l": 10, "r": 30, "t": 30, "b": 10, "pad": 4},
        "hovermode": "closest",
        "yaxis": {**value_axis, "automargin": True},
        "xaxis": {"automargin": True},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }


def _with_gaps(figures: list[Figure], value_of: ValueOf, unit: str) -> tuple[list, list, list, list]:
    """Points for one line, with a break wherever a year or a value is missing: gaps are never bridged."""
    x, y, text, hover = [], [], [], []
    for previous, figure in zip([None, *figures], figures, strict=False):
        value = value_of(figure)
        if (previous is not None and figure.period.start.year - previous.period.start.year > 1) or value is None:
            x.append(None)
            y.append(None)
            text.append("")
            hover.append("")
        if value is None:
            continue
        x.append(_midpoint(figure))
        y.append(float(value))
        text.append(format_value(value, unit))
        hover.append(_hover(figure, value, unit))
    return x, y, text, hover


def _midpoint(figure: Figure) -> str:
    return figure.period.midpoint.isoformat()


def _hover(figure: Figure, value: Decimal, unit: str) -> str:
    return _plain(f"{figure.geography.name}, {figure.period.label}: {format_value(value, unit)}")


def _plain(text: str) -> str:
    """Plotly reads a little HTML in labels; names and periods from uploads are shown as plain text."""
    return html.escape(text, quote=False)


def _vertical_line(day: dt.date) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": "#484949", "width": 1.5, "dash": "dot"},
    }


def _date_label(day: dt.date, text: str) -> dict:
    return {
        "x": day.isoformat(),
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "text": text,
        "showarrow": False,
        "font": {"size": 13, "color": "#0b0c0c"},
        "bgcolor": "#f3f2f1",
        "bordercolor": "#484949",
        "borderpad": 2,
    }
