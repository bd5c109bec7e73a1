"""Chart builders: data in, a Plotly figure (as a plain dict) out. No database, no request.

Shared choices: the Okabe-Ito palette, which colour-blind readers can tell apart;
a different marker and dash for every line and value labels on the points, so
colour is never the only cue; year ticks on whole years; thousands separators;
no mode bar; the "none" template, so pages do not carry Plotly's default theme.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from stats.models import Figure, KeyDate
from stats.numbers import format_value
from stats.series import Trend

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


def trend_chart(trend: Trend, key_dates: list[KeyDate]) -> dict:
    """Lines of yearly figures; key_dates (already within the span) are numbered dotted lines."""
    fig = go.Figure()
    for index, line in enumerate(trend.lines):
        x, y, text, hover = _with_gaps(line.figures)
        fig.add_trace(
            go.Scatter(
                name=line.name,
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
    if trend.restated:
        fig.add_trace(
            go.Scatter(
                name="Earlier release, since restated",
                x=[_midpoint(f) for f in trend.restated],
                y=[float(f.value) for f in trend.restated],
                hovertext=[f"{_hover(f)} (earlier release, since restated)" for f in trend.restated],
                hoverinfo="text",
                mode="markers",
                marker={"symbol": "circle-open", "size": 12, "color": "#484949", "line": {"width": 2}},
            )
        )
    plotted = trend.plotted
    start, end = trend.span
    shapes, notes = [], []
    for number, key_date in enumerate(key_dates, start=1):
        shapes.append(_vertical_line(key_date.date))
        notes.append(_date_label(key_date.date, str(number)))
    fig.update_layout(
        _layout(plotted[0].unit),
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
    ordered = sorted(bars, key=lambda bar: bar.value)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[float(bar.value) for bar in ordered],
            y=[bar.label for bar in ordered],
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


def _with_gaps(figures: list[Figure]) -> tuple[list, list, list, list]:
    """Points for one line, with a break wherever a year is missing: gaps are never bridged."""
    x, y, text, hover = [], [], [], []
    for previous, figure in zip([None, *figures], figures, strict=False):
        if previous is not None and figure.period.start.year - previous.period.start.year > 1:
            x.append(None)
            y.append(None)
            text.append("")
            hover.append("")
        x.append(_midpoint(figure))
        y.append(float(figure.value))
        text.append(figure.display_value)
        hover.append(_hover(figure))
    return x, y, text, hover


def _midpoint(figure: Figure) -> str:
    return figure.period.midpoint.isoformat()


def _hover(figure: Figure) -> str:
    return f"{figure.geography.name}, {figure.period.label}: {figure.display_value}"


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
