"""What Plotly drew, read from the page: a share's scale, a first point's tick on a phone, an earlier
value that stays visible beside the current one, and a chart image that carries the card's caveats."""

from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.browser.conftest import draw_all_charts, screenshot

SVG = "{http://www.w3.org/2000/svg}"
# Plotly keeps the drawn figure's full layout on the chart's element.
DRAWN_AXIS = "id => document.querySelector(`[data-chart='${id}']`)._fullLayout.xaxis"


def _open(page, site: str, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + path)
    draw_all_charts(page)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_charge_rate_is_drawn_on_a_scale_of_0_to_100_percent(page, site, width):
    _open(page, site, "/outcomes/", width)
    axis = page.evaluate(DRAWN_AXIS, "outcomes-chart")
    assert axis["visible"] is True and axis["range"] == [0, 100]
    ticks = page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-chart='outcomes-chart'] .xtick text"))
             .map(t => t.textContent)"""
    )
    assert ticks[0] == "0%" and ticks[-1] == "100%"
    outside = page.evaluate(
        """() => { const chart = document.querySelector("[data-chart='outcomes-chart']").getBoundingClientRect();
             return Array.from(document.querySelectorAll("[data-chart='outcomes-chart'] .xtick text"))
               .map(t => t.getBoundingClientRect())
               .filter(t => t.left < chart.left - 1 || t.right > chart.right + 1).length; }"""
    )
    assert outside == 0  # "0%" and "100%" are whole, not cut at the edges
    bar, track = page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-chart='outcomes-chart'] .bars .point path"))
             .map(p => p.getBoundingClientRect().width).sort((a, b) => a - b)"""
    )
    # 12.2% of the whole: the bar is about an eighth of the track, not three quarters of the chart.
    assert 0.08 < bar / track < 0.16
    screenshot(page, f"charts-outcomes-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_first_point_keeps_its_tick_on_a_phone(page, site, width):
    _open(page, site, "/areas/E12000005/", width)
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart[data-drawn]'))
             .filter(c => c._fullLayout.xaxis.tickmode === 'array')
             .map(c => ({ticks: Array.from(c.querySelectorAll('.xtick text')).map(t => t.textContent),
                         first: c.data.flatMap(t => t.x.map((x, i) => [x, t.y[i]])).filter(p => p[1] !== null)
                                 .map(p => p[0]).sort()[0],
                         vals: c._fullLayout.xaxis.tickvals, text: c._fullLayout.xaxis.ticktext}))"""
    )
    assert charts
    for chart in charts:
        first_tick = chart["text"][chart["vals"].index(min(chart["vals"]))]
        assert first_tick in chart["ticks"], chart
    screenshot(page, f"charts-west-midlands-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_an_earlier_restated_value_rings_the_current_one_on_the_home_page(page, site, width):
    _open(page, site, "/", width)
    boxes = page.evaluate(
        """() => { const chart = document.querySelector("[data-chart='national-chart']");
             const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
             const traces = chart.querySelectorAll('.scatterlayer .trace');
             const ring = traces[traces.length - 1].querySelector('.point');
             const x = ring.getBoundingClientRect();
             const under = Array.from(chart.querySelectorAll('.scatterlayer .trace .point')).filter(p => p !== ring)
               .map(box).filter(b => b[0] < x.right && x.left < b[2] && b[1] < x.bottom && x.top < b[3]);
             return {ring: box(ring), under: under}; }"""
    )
    ring = boxes["ring"]
    assert boxes["under"], "the restated value is drawn where the current one is"
    for square in boxes["under"]:
        # The ring reaches past the marker on every side: both are seen.
        assert ring[0] < square[0] - 1 and ring[1] < square[1] - 1
        assert ring[2] > square[2] + 1 and ring[3] > square[3] + 1
    screenshot(page, f"charts-home-{width}")


def _svg_words(svg: str) -> str:
    texts = []
    for text in ElementTree.fromstring(svg).iter(f"{SVG}text"):  # noqa: S314 - Plotly's SVG, made by this test
        lines = [line for line in text if line.get("class") == "line"]
        texts.append(" ".join("".join(line.itertext()) for line in lines) if lines else "".join(text.itertext()))
    return " ".join(" ".join(texts).split())


def test_the_chart_image_carries_the_caveats_the_card_shows(page, site):
    _open(page, site, "/trends/?geography=E23000014&offence=online-grooming", 1280)
    card = page.locator("#trend")
    summary = card.locator(".card__summary").inner_text()
    assert "covers only about nine months" in summary  # the part-year, as the page says it
    with page.expect_download() as download:
        card.get_by_role("button", name="Download chart as SVG").click()
    words = _svg_words(Path(download.value.path()).read_text(encoding="utf-8"))
    assert " ".join(summary.split()) in words
    with page.expect_download() as png:
        card.get_by_role("button", name="Download chart as PNG").click()
    Path("test-results").mkdir(exist_ok=True)
    Path(png.value.path()).replace(Path("test-results") / "charts-image-west-midlands-police.png")
