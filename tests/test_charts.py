"""Chart builders are pure: plain data in, plain Plotly.js data out, valid by Plotly's own schema."""

import datetime as dt

import plotly.graph_objects as go
import pytest

from dashboard.charts.bars import Bar, bar_chart
from dashboard.charts.tile_map import Place, Tile, legend_steps, tile_map
from dashboard.charts.trend import Line, Marker, Point, Tick, trend_chart


def valid(chart: dict) -> dict:
    """Plotly's Python library checks every property against the plotly.js schema; a typo raises."""
    go.Figure(data=chart["data"], layout=chart["layout"])
    return chart


def _point(year: int, value: float) -> Point:
    return Point(dt.date(year, 9, 30), value, f"{value:,.0f}", f"{year}: {value}")


def test_a_bar_chart_labels_every_bar_with_its_value_and_writes_names_above_the_bars():
    chart = valid(bar_chart([Bar("A (this area)", 141, "141", True), Bar("B", 1050, "1,050")]))
    (bars,) = chart["data"]
    assert bars["text"] == ["141", "1,050"]  # smallest first, so the largest is drawn at the top
    assert bars["marker"]["pattern"]["shape"] == ["/", ""]
    assert [a["text"] for a in chart["layout"]["annotations"]] == ["<b>A (this area)</b>", "B"]
    assert chart["layout"]["xaxis"]["visible"] is False  # values only: no unit on any axis
    assert chart["layout"]["yaxis"]["visible"] is False  # names above the bars, not on a clipped axis
    assert chart["config"] == {"displayModeBar": False, "responsive": True}


def test_percent_bars_carry_the_unit_in_their_values_only():
    chart = valid(bar_chart([Bar("Snapchat", 40, "about 40%")]))
    assert chart["data"][0]["text"] == ["about 40%"]
    assert "ticksuffix" not in chart["layout"]["yaxis"] and "ticksuffix" not in chart["layout"]["xaxis"]


def test_names_from_uploads_are_plain_text_in_charts():
    chart = bar_chart([Bar('<a href="https://x.example">Area</a>', 5, "5")])
    assert chart["layout"]["annotations"][0]["text"] == '&lt;a href="https://x.example"&gt;Area&lt;/a&gt;'


@pytest.mark.parametrize("years", [[2021], [2021, 2022], list(range(2017, 2025))])
def test_a_trend_has_one_tick_per_period_and_never_repeats_one(years):
    ticks = [Tick(dt.date(y, 9, 30), f"{y}/{(y + 1) % 100:02d}") for y in years]
    chart = valid(
        trend_chart(
            [Line("UK", [_point(y, 100 + y) for y in years])],
            ticks=ticks,
            x_range=(dt.date(years[0], 4, 1), dt.date(years[-1] + 1, 3, 31)),
        )
    )
    axis = chart["layout"]["xaxis"]
    assert axis["tickmode"] == "array"
    assert axis["ticktext"] == [t.label for t in ticks]
    assert len(set(axis["ticktext"])) == len(years)


def test_where_two_lines_meet_the_higher_label_goes_above_and_the_lower_below():
    chart = valid(
        trend_chart(
            [Line("UK", [_point(2017, 3728)]), Line("England and Wales", [_point(2017, 3217)])],
            ticks=[Tick(dt.date(2017, 9, 30), "2017/18")],
            x_range=(dt.date(2017, 4, 1), dt.date(2018, 3, 31)),
        )
    )
    assert chart["data"][0]["textposition"] == ["top center"]
    assert chart["data"][1]["textposition"] == ["bottom center"]


def test_key_dates_are_numbered_badges_above_the_plot_not_lines_across_it():
    chart = valid(
        trend_chart(
            [Line("UK", [_point(2023, 7062)])],
            ticks=[Tick(dt.date(2023, 9, 30), "2023/24")],
            x_range=(dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
            markers=[Marker(dt.date(2023, 10, 26), 1, "Online Safety Act")],
        )
    )
    (badge,) = chart["layout"]["annotations"]
    assert (badge["text"], badge["yref"], badge["y"], badge["yanchor"]) == ("<b>1</b>", "paper", 1, "bottom")
    assert "shapes" not in chart["layout"]


def test_a_gap_breaks_the_line():
    chart = trend_chart(
        [Line("UK", [_point(2017, 1), None, _point(2021, 2)])],
        ticks=[],
        x_range=(dt.date(2017, 4, 1), dt.date(2022, 3, 31)),
    )
    assert chart["data"][0]["y"] == [1, None, 2]
    assert chart["data"][0]["connectgaps"] is False


def test_the_tile_map_has_no_colour_bar_and_its_legend_steps_run_dark_to_light():
    tiles = [
        Tile(Place("E1", "AAA", 1, 1), "A", "/areas/E1/", 2, "2.0", ""),
        Tile(Place("E2", "BBB", 1, 2), "B", "/areas/E2/", None, "no data", "no data"),
    ]
    chart = valid(tile_map(tiles))
    assert all("colorbar" not in str(trace.get("marker", "")) for trace in chart["data"])
    steps = legend_steps(2, 10)
    assert [value for _, value in steps] == sorted(value for _, value in steps)
    assert steps[0][0] == "#440154"


def test_the_key_words_say_what_is_drawn_not_a_line_where_there_is_none():
    from dashboard.charts.trend import drawn_as

    joined = Line("UK", [_point(2021, 1), _point(2022, 2)])
    apart = Line("WMP", [_point(2017, 23), None, _point(2022, 202)])
    broken = Line("E&W", [_point(2017, 1), _point(2018, 2), None, _point(2021, 3)])
    assert drawn_as(joined, 0) == "solid line with circles"
    assert drawn_as(apart, 0) == "circles, not joined (no figure for the years between)"
    assert drawn_as(broken, 1) == "dashed line with squares, broken where a year is missing"


def test_an_earlier_restated_value_rings_the_current_marker_instead_of_hiding_behind_it():
    chart = valid(
        trend_chart(
            [Line("England and Wales", [_point(2017, 3217)])],
            ticks=[Tick(dt.date(2017, 9, 30), "2017/18")],
            x_range=(dt.date(2017, 4, 1), dt.date(2018, 3, 31)),
            restated=[_point(2017, 3171)],
        )
    )
    line, ring = chart["data"]
    assert ring["marker"]["symbol"] == "circle-open"
    assert ring["marker"]["size"] >= 1.8 * line["marker"]["size"]


def test_a_share_is_drawn_on_a_scale_of_0_to_100_and_ties_keep_their_order():
    chart = valid(bar_chart([Bar("B", 12.2, "12.2% (89 of 732)"), Bar("A", 12.2, "12.2%")], share=True))
    track, bars = chart["data"]
    assert chart["layout"]["xaxis"]["range"] == [0, 100] and chart["layout"]["xaxis"]["visible"] is True
    assert track["x"] == [100, 100]
    # Drawn bottom to top: the first bar given is at the top.
    names = [a["text"] for a in chart["layout"]["annotations"]]
    assert names[bars["y"].index(max(bars["y"]))] == "B"
