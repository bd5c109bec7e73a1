"""Read what Plotly actually drew, at phone and desktop widths: ticks, labels and bars.

Each check guards a fault once seen on a screenshot: repeated year ticks, value labels
on top of each other or of a key date, bar names clipped at the left edge, bars
squeezed to a sliver, tables cut off with no sign they scroll, a map without its key.
"""

import pytest

from tests.browser.conftest import draw_all_charts

CHART_PAGES = [
    "/",
    "/trends/",
    "/trends/?geography=E23000014",
    "/trends/?geography=E23000014&offence=online-grooming",
    "/trends/?geography=K02000001&compare=E12000005",
    "/areas/E12000005/",
    "/areas/E23000014/",
    "/platforms/",
    "/outcomes/",
    "/map/",
]

# Every drawn chart, as boxes: its ticks, its visible value labels, its badges, bar names and bars.
READ_CHARTS = """
() => Array.from(document.querySelectorAll('.chart[data-drawn]')).map(chart => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent}; };
  const shown = el => el.getAttribute('visibility') !== 'hidden' && el.textContent.trim() !== '';
  return {
    id: chart.getAttribute('data-chart'),
    frame: box(chart),
    ticks: Array.from(chart.querySelectorAll('.xtick text')).map(box),
    labels: Array.from(chart.querySelectorAll('.textpoint text')).filter(shown).map(box),
    badges: Array.from(chart.querySelectorAll('.annotation')).map(box),
    bars: Array.from(chart.querySelectorAll('.bars .point path')).map(box),
  };
})
"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and (b["top"] < a["bottom"] - 0.5)
    )


def _collisions(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]


def _charts(page, site: str, path: str, width: int) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + path)
    draw_all_charts(page)
    return page.evaluate(READ_CHARTS)


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_ticks_are_never_repeated_and_no_label_sits_on_another(page, site, path, width):
    for chart in _charts(page, site, path, width):
        ticks = [tick["text"] for tick in chart["ticks"]]
        assert len(ticks) == len(set(ticks)), (chart["id"], ticks)
        assert _collisions(chart["ticks"]) == [], chart["id"]
        bar_names = chart["badges"] if chart["bars"] else []
        key_dates = [] if chart["bars"] else chart["badges"]
        assert _collisions(chart["labels"] + key_dates) == [], chart["id"]
        assert _collisions(bar_names) == [], chart["id"]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", ["/", "/trends/", "/areas/E12000005/", "/trends/?geography=E23000014"])
def test_a_trend_keeps_value_labels_on_a_phone_including_the_latest(page, site, path, width):
    charts = [c for c in _charts(page, site, path, width) if not c["bars"] and c["ticks"]]
    assert charts
    for chart in charts:
        assert chart["labels"], chart["id"]
        latest = max(chart["ticks"], key=lambda tick: tick["left"])
        # The latest period's value is labelled: some label stands above or below its tick.
        middle = (latest["left"] + latest["right"]) / 2
        assert any(abs((label["left"] + label["right"]) / 2 - middle) < 30 for label in chart["labels"])


@pytest.mark.parametrize("path", ["/platforms/", "/outcomes/", "/areas/E23000014/"])
def test_bar_names_are_whole_and_bars_get_the_width_on_a_phone(page, site, path):
    for chart in [c for c in _charts(page, site, path, 360) if c["bars"]]:
        frame = chart["frame"]
        for name in chart["badges"]:
            assert name["left"] >= frame["left"] - 1 and name["right"] <= frame["right"] + 1, name["text"]
        widest = max(bar["right"] - bar["left"] for bar in chart["bars"])
        assert widest >= 0.5 * (frame["right"] - frame["left"]), chart["id"]
        for label in chart["labels"] or []:
            assert label["right"] <= frame["right"] + 1, label["text"]


def test_the_one_table_that_scrolls_on_a_phone_says_so(page, site):
    # Card tables stack on a phone (test_tables_on_a_phone.py); the grid of areas by years on
    # /coverage/ is two-dimensional data, which reflow lets scroll, and it says so.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/coverage/")
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth).length"
    )
    assert wide > 0
    assert page.locator(".table-hint").first.is_visible()
    page.goto(site + "/areas/E23000014/")
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.table-wrap')).every(w => w.scrollWidth <= w.clientWidth)"
    )


def test_the_map_keeps_its_colour_key_on_a_phone(page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/map/")
    draw_all_charts(page)
    key = page.locator(".chart__legend")
    assert key.is_visible()
    assert key.locator("li").count() >= 3
    assert "no published figure" in key.inner_text()


@pytest.mark.parametrize("width", [360, 1280])
def test_headline_values_never_break_mid_word(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('.headline__value')).map(value => {
             const style = getComputedStyle(value);
             return [value.textContent, value.getBoundingClientRect().height / parseFloat(style.lineHeight)];
           })"""
    )
    assert lines and all(round(count) == 1 for _, count in lines), lines
