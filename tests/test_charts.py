"""Chart builders are pure: data in, a Plotly figure out."""

import json
from decimal import Decimal

from stats.charts import Bar, bar_chart


def test_a_bar_chart_labels_every_bar_and_marks_the_highlight_with_a_pattern():
    chart = bar_chart([Bar("A", Decimal(141), "count", True), Bar("B", Decimal(1050), "count")])
    (bars,) = chart["data"]
    assert bars["y"] == ["A", "B"]  # smallest first, so the largest is drawn at the top
    assert bars["text"] == ["141", "1,050"]
    assert bars["marker"]["pattern"]["shape"] == ["/", ""]
    assert len(json.dumps(chart["layout"]["template"])) < 100  # not Plotly's 10 KB default theme
    assert chart["config"] == {"displayModeBar": False, "responsive": True}


def test_percent_bars_carry_the_percent_sign():
    chart = bar_chart([Bar("Snapchat", Decimal(40), "percent")])
    assert chart["data"][0]["text"] == ["40%"]
    assert chart["layout"]["yaxis"]["ticksuffix"] == "%"


def test_names_from_uploads_are_plain_text_in_charts():
    chart = bar_chart([Bar('<a href="https://x.example">Area</a>', Decimal(5), "count")])
    assert chart["data"][0]["y"] == ['&lt;a href="https://x.example"&gt;Area&lt;/a&gt;']
