"""What every chart shares, as plain Plotly.js data: no Python Plotly objects at run time,
because building charts through plotly.graph_objects cost more than the rest of a page.

The Okabe-Ito palette, which colour-blind readers can tell apart; a different marker and
dash for every line, so colour is never the only cue; thousands separators; no mode bar.
"""

import html

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]
# The same three in words, for the legend written under each chart.
SYMBOL_WORDS = ["circles", "squares", "diamonds", "triangles", "crosses", "x marks", "stars"]
DASH_WORDS = ["solid line", "dashed line", "dotted line", "dash-dot line", "long-dashed line", "long dash-dot line"]
HIGHLIGHT = "#D55E00"
INK = "#0b0c0c"
GRID = "#dddddd"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 14, "color": INK}
CONFIG = {"displayModeBar": False, "responsive": True}


def base_layout(**overrides) -> dict:
    return {
        "font": FONT,
        "separators": ".,",
        "hovermode": "closest",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "showlegend": False,
        **overrides,
    }


def chart(data: list[dict], layout: dict, **extra) -> dict:
    return {"data": data, "layout": layout, "config": CONFIG, **extra}


def plain(text: str) -> str:
    """Plotly reads a little HTML in labels; names and periods from uploads are shown as plain text."""
    return html.escape(text, quote=False)
