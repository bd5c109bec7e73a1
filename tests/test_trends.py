"""/trends/: one area, offence and measure per URL; kinds of year kept apart; gaps left as gaps."""

import pytest

from tests.pages import charts_of, text_of

WMP_ONLINE = "/trends/?geography=E23000014&offence=online-grooming&measure=offences-recorded"


def _chart(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    (chart,) = charts_of(response.content.decode()).values()
    return chart


def test_the_default_view_shows_the_uk_and_england_and_wales_as_separate_lines(seeded, client):
    chart = _chart(client, "/trends/")
    names = [trace["name"] for trace in chart["data"]]
    assert names == [
        "United Kingdom (financial years)",
        "England and Wales (financial years)",
        "Earlier release, since restated",
    ]


def test_a_restated_figure_is_marked_not_joined(seeded, client):
    chart = _chart(client, "/trends/")
    _, england_and_wales, restated = chart["data"]
    assert 3171 in restated["y"] and 3171 not in england_and_wales["y"]
    assert 3217 in england_and_wales["y"]


def test_missing_years_are_gaps_not_interpolated(seeded, client):
    chart = _chart(client, WMP_ONLINE)
    (line,) = [trace for trace in chart["data"] if trace["name"].startswith("West Midlands Police")]
    assert line["y"] == [23, None, 202]
    assert line["connectgaps"] is False


def test_calendar_and_financial_years_are_never_one_line(seeded, client):
    chart = _chart(client, "/trends/?geography=E23000014&compare=E12000005&offence=online-grooming")
    kinds = {trace["name"].split("(")[-1] for trace in chart["data"]}
    assert all(name in ("calendar years)", "financial years)") for name in kinds)
    chart = _chart(client, "/trends/?geography=E12000005&compare=E23000014&offence=sexual-communication-with-a-child")
    for trace in chart["data"]:
        months = {x[5:7] for x in trace["x"] if x}
        assert len(months) == 1, trace["name"]  # every point sits at the same point of its year


def test_key_dates_are_numbered_on_the_chart_and_explained_right_under_it(seeded, client):
    chart = _chart(client, "/trends/")
    badges = {badge["x"]: badge["text"] for badge in chart["layout"]["annotations"]}
    assert badges["2017-04-03"] == "<b>1</b>" and badges["2023-10-26"] == "<b>3</b>"
    html = client.get("/trends/").content.decode()
    key = html.split('class="chart__key"', 1)[1].split("</ul>", 1)[0]
    assert "Key date 3: 26 October 2023, Online Safety Act receives Royal Assent." in text_of(key)
    assert html.index('class="chart__key"') < html.index('class="data-table"')  # under the chart, before the table


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        ("/trends/?geography=E23000014", ["2021/22"]),
        ("/trends/?geography=E23000014&offence=online-grooming", ["2017", "2022"]),
        ("/trends/", ["2017/18", "2018/19", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]),
    ],
)
def test_each_period_has_one_tick_labelled_as_published(seeded, client, url, labels):
    layout = _chart(client, url)["layout"]
    assert layout["xaxis"]["ticktext"] == labels
    assert layout["yaxis"]["tickformat"] == ",~r"
    assert _chart(client, url)["config"]["displayModeBar"] is False


def test_the_summary_is_built_from_the_data(seeded, client):
    text = text_of(client.get(WMP_ONLINE).content.decode())
    assert "West Midlands Police: offences recorded rose almost nine-fold, from 23 in 2017 to 202 in 2022" in text
    assert "(no figure was published for 2018 to 2021)" in text


def test_the_example_permalink_shows_the_west_midlands_region(seeded, client):
    url = "/trends/?geography=E12000005&offence=sexual-communication-with-a-child"
    text = text_of(client.get(url).content.decode())
    assert "West Midlands: offences recorded fell by 14%, from 457 in 2023/24 to 391 in 2024/25." in text
    assert "Since 2017/18, the first year published (194), it more than doubled." in text
    assert "No figure was published for 2019/20 to 2022/23." in text


def test_a_link_that_names_only_some_choices_shows_no_error(seeded, client):
    html = client.get("/trends/?geography=K02000001&offence=sexual-communication-with-a-child").content.decode()
    assert "We could not show exactly what the link asked for" not in html
    html = client.get("/").content.decode()
    link = html.split("See the trend for United Kingdom")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "We could not show exactly" not in client.get(link).content.decode()
