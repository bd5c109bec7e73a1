"""/api/v1/figures: filters, pages, revisions and the data as it stood after any release."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats.importers.tidy import FigureRow, PeriodSpan
from stats.models import Figure
from stats.publishing import corrected_row
from stats.records import DOWNLOAD_COLUMNS
from stats.releases import Entry, SourceDetails, correct_figure, publish
from tests.api.conftest import get_json
from tests.conftest import SEED_RELEASES
from tests.growth import add_figures
from tests.pages import SITE

URL = "/api/v1/figures"
WEST_MIDLANDS_REGION = "E12000005"
WEST_MIDLANDS_FORCES = {"E23000014", "E23000015", "E23000016", "E23000017"}
ENGLAND_AND_WALES_2017_18 = (
    "geography=K04000001&offence=sexual-communication-with-a-child&measure=offences-recorded"
    "&period_from=2017-04-01&period_to=2018-03-31"
)


def _everything(client, query: str = "") -> list[dict]:
    return get_json(client, f"{URL}?page_size=1000&{query}")["results"]


def _in_2017_18(figures: list[dict]) -> list[dict]:
    """The period filters find every period overlapping the dates; these tests want one year."""
    return [figure for figure in figures if figure["period"] == "2017/18"]


def _publish(*rows: FigureRow, source: SourceDetails):
    release, _ = publish(entries=[Entry(row, source) for row in rows], kind="upload", summary="A test upload")
    return release


def _force_count(code: str, value: int, year: int = 2024) -> FigureRow:
    period = PeriodSpan(
        f"{year}/{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), "financial_year"
    )
    return FigureRow(
        code, period, "sexual-communication-with-a-child", "offences-recorded", "", Decimal(value), "count", ""
    )


# Filters -----------------------------------------------------------------------------------------


def test_a_region_with_its_children_gives_its_forces_figures_too(seeded, client):
    alone = {f["area_code"] for f in _everything(client, f"geography={WEST_MIDLANDS_REGION}")}
    assert alone == {WEST_MIDLANDS_REGION}
    with_forces = {
        f["area_code"] for f in _everything(client, f"geography={WEST_MIDLANDS_REGION}&include_children=true")
    }
    assert WEST_MIDLANDS_REGION in with_forces
    assert {"E23000014", "E23000016"} <= with_forces <= {WEST_MIDLANDS_REGION} | WEST_MIDLANDS_FORCES


def test_children_are_found_however_deep(seeded, client):
    areas = {f["area_code"] for f in _everything(client, "geography=K04000001&include_children=true")}
    # England and Wales -> England -> West Midlands -> West Midlands Police, and Wales -> its forces.
    assert {"K04000001", WEST_MIDLANDS_REGION, "E23000014", "W92000004"} <= areas
    assert "K02000001" not in areas  # the United Kingdom is its parent, not its child


def test_include_children_without_an_area_changes_nothing(seeded, client):
    assert _everything(client, "include_children=true") == _everything(client)


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("offence=online-grooming", "offence_code", "online-grooming"),
        ("measure=platform-share", "measure_code", "platform-share"),
        ("platform=snapchat", "platform_code", "snapchat"),
        ("geography=E23000014", "area_code", "E23000014"),
    ],
)
def test_each_filter_keeps_only_its_figures(seeded, client, query, field, expected):
    figures = _everything(client, query)
    assert figures
    assert {figure[field] for figure in figures} == {expected}
    assert len(figures) < len(_everything(client))


def test_a_source_filter_keeps_only_that_sources_figures(seeded, client):
    source_id = _everything(client)[0]["source_id"]
    figures = _everything(client, f"source={source_id}")
    assert figures and {figure["source_id"] for figure in figures} == {source_id}


def test_periods_are_chosen_by_overlap_with_the_dates_given(seeded, client):
    figures = _everything(client, "period_from=2022-01-01&period_to=2022-12-31")
    assert figures
    for figure in figures:
        assert figure["period_end"] >= "2022-01-01" and figure["period_start"] <= "2022-12-31"
    labels = {figure["period"] for figure in figures}
    assert {"2021/22", "2022", "2022/23"} <= labels  # ends in 2022, all of 2022, starts in 2022
    assert "2017/18" not in labels and "2024/25" not in labels


def test_dates_the_wrong_way_round_find_nothing_rather_than_fail(seeded, client):
    page = get_json(client, f"{URL}?period_from=2024-01-01&period_to=2020-01-01")
    assert (page["count"], page["results"], page["pages"]) == (0, [], 1)


# What a figure carries -------------------------------------------------------------------------


def test_a_figure_carries_its_download_row_source_release_and_permalink(seeded, client):
    (figure,) = _in_2017_18(_everything(client, ENGLAND_AND_WALES_2017_18))
    assert set(DOWNLOAD_COLUMNS) <= set(figure)
    assert (figure["value"], figure["unit"], figure["status"], figure["withdrawn"]) == (3217, "count", "current", False)
    assert isinstance(figure["value"], int)
    assert figure["source_publisher"] == "NSPCC"
    assert figure["source_title"] == "Recorded online sexual grooming crimes rise by a third"
    assert (figure["source_published"], figure["source_published_date"]) == ("11 September 2019", "2019-09-11")
    assert figure["source_url"].startswith("https://www.nspcc.org.uk/")
    assert (figure["dashboard_release"], figure["dashboard_published"]) == (1, "2026-11-22")
    assert figure["permalink"] == f"{SITE}/figures/{figure['figure_id']}/"
    assert client.get(figure["permalink"].removeprefix(SITE)).status_code == 200
    assert figure["offence_code"] == "sexual-communication-with-a-child"


def test_a_source_dated_only_to_the_month_keeps_that_precision(seeded, client):
    query = "geography=E12000005&offence=sexual-communication-with-a-child&period_from=2017-04-01&period_to=2018-03-31"
    (figure,) = _in_2017_18(_everything(client, query))
    assert (figure["source_published"], figure["source_published_date"]) == ("September 2019", "2019-09")


def test_a_percentage_with_a_fraction_is_a_json_number(seeded, client):
    period = PeriodSpan("2025/26", dt.date(2025, 4, 1), dt.date(2026, 3, 31), "financial_year")
    row = FigureRow("K02000001", period, "sexual-communication-with-a-child", "platform-share", "snapchat",
                    Decimal("38.5"), "percent", "")  # fmt: skip
    _publish(row, source=SourceDetails("NSPCC", "A test of shares", "2026-11"))
    (figure,) = _everything(client, "platform=snapchat&period_from=2025-04-01")
    assert figure["value"] == 38.5 and figure["unit"] == "percent"


# Revisions -------------------------------------------------------------------------------------


def test_all_revisions_include_the_restated_2017_18_figure_beside_the_current_one(seeded, client):
    current = _in_2017_18(_everything(client, ENGLAND_AND_WALES_2017_18))
    assert [(f["value"], f["status"]) for f in current] == [(3217, "current")]
    every = _in_2017_18(_everything(client, f"{ENGLAND_AND_WALES_2017_18}&revisions=all"))
    assert sorted((f["value"], f["status"], f["source_publisher"]) for f in every) == [
        (3171, "revision", "East Anglian Daily Times (reporting NSPCC)"),
        (3217, "current", "NSPCC"),
    ]


def test_a_withdrawn_figure_is_never_listed_but_its_permalink_still_answers(seeded, client):
    figure = (
        Figure.objects.current().with_provenance().get(geography__code=WEST_MIDLANDS_REGION, period__label="2024/25")
    )
    correct_figure(figure=figure, row=corrected_row(figure, value="392", note=""), reason="Typed 391 for 392.")
    listed = _everything(client, f"geography={WEST_MIDLANDS_REGION}&revisions=all")
    assert figure.pk not in {f["figure_id"] for f in listed}
    assert 392 in {f["value"] for f in listed}
    answered = get_json(client, f"{URL}/{figure.pk}")
    assert (answered["value"], answered["status"], answered["withdrawn"]) == (391, "withdrawn", True)


def test_one_figure_by_its_number(seeded, client):
    first = _everything(client)[0]
    assert get_json(client, f"{URL}/{first['figure_id']}") == first


def test_a_missing_figure_is_a_json_404(seeded, client):
    missing = Figure.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    error = get_json(client, f"{URL}/{missing}", status=404)
    assert error["error"] == f"There is no figure {missing}."
    assert error["docs"] == f"{SITE}/api/"


# The past --------------------------------------------------------------------------------------


def test_an_earlier_release_still_reads_as_it_stood_after_a_new_one(seeded, client):
    before = get_json(client, f"{URL}?page_size=1000")
    assert before["as_of_release"] == SEED_RELEASES
    later_answer = SourceDetails("West Midlands Police", "A later answer", "2026-11-30")
    assert _publish(_force_count("E23000014", 480, year=2021), source=later_answer).number == SEED_RELEASES + 1
    series = "geography=E23000014&measure=offences-recorded&period_from=2021-04-01&period_to=2022-03-31"

    now = get_json(client, f"{URL}?page_size=1000&{series}")
    assert now["as_of_release"] == SEED_RELEASES + 1
    assert [(f["value"], f["dashboard_release"]) for f in _in_2021_22(now["results"])] == [(480, SEED_RELEASES + 1)]

    then = get_json(client, f"{URL}?page_size=1000&as_of_release={SEED_RELEASES}")
    assert then["as_of_release"] == SEED_RELEASES
    assert then["results"] == before["results"]
    assert get_json(client, f"{URL}?page_size=1000")["results"] != before["results"]

    both = _in_2021_22(_everything(client, f"as_of_release={SEED_RELEASES + 1}&revisions=all&{series}"))
    assert sorted((f["value"], f["status"]) for f in both) == [(141, "revision"), (480, "current")]
    as_seeded = _everything(client, f"as_of_release={SEED_RELEASES}&{series}")
    assert [(f["value"], f["status"]) for f in _in_2021_22(as_seeded)] == [(141, "current")]


def _in_2021_22(figures: list[dict]) -> list[dict]:
    return [figure for figure in figures if figure["period"] == "2021/22"]


def test_release_one_has_only_release_ones_figures(seeded, client):
    first = _everything(client, "as_of_release=1")
    assert first and {f["dashboard_release"] for f in first} == {1}
    assert len(first) < len(_everything(client))


# Pages -----------------------------------------------------------------------------------------


def test_pages_link_to_each_other_and_together_hold_every_figure_once(seeded, client):
    everything = [f["figure_id"] for f in _everything(client)]
    page = get_json(client, f"{URL}?page_size=7&revisions=current")
    assert (page["count"], page["page"], page["page_size"]) == (len(everything), 1, 7)
    assert page["pages"] == -(-len(everything) // 7) and page["previous"] is None
    collected, seen_pages = [], 0
    while True:
        collected += [f["figure_id"] for f in page["results"]]
        seen_pages += 1
        if page["next"] is None:
            break
        assert "revisions=current" in page["next"]  # the other parameters are kept
        following = get_json(client, page["next"].removeprefix(SITE))
        assert following["previous"].removeprefix(SITE).endswith(f"page={page['page']}")
        page = following
    assert collected == everything
    assert seen_pages == page["pages"] and len(page["results"]) <= 7


def test_the_default_page_holds_a_hundred(seeded, client, make_figure):
    add_figures(make_figure, 25)
    page = get_json(client, URL)
    assert page["count"] > 100
    assert (len(page["results"]), page["page_size"]) == (100, 100)


def test_a_page_past_the_last_is_a_404_naming_the_pages_there_are(seeded, client):
    pages = get_json(client, URL)["pages"]
    error = get_json(client, f"{URL}?page={pages + 1}", status=404)
    assert (error["parameter"], error["allowed"]) == ("page", f"a whole number from 1 to {pages}")


def test_the_number_of_queries_does_not_grow_with_the_figures_returned(
    seeded, client, make_figure, django_assert_max_num_queries
):
    add_figures(make_figure, 25)
    query = f"{URL}?geography=K02000001&include_children=true&offence=sexual-communication-with-a-child&revisions=all"
    counts, returned = [], []
    for size in (1, 10, 1000):
        with CaptureQueriesContext(connection) as queries:
            returned.append(len(get_json(client, f"{query}&page_size={size}")["results"]))
        counts.append(len(queries))
    assert returned[0] == 1 and returned[1] == 10 and returned[2] > 100
    assert len(set(counts)) == 1, counts
    with django_assert_max_num_queries(counts[0]):
        get_json(client, f"{URL}?page_size=1000")


def test_a_geography_that_exists_but_has_no_figures_gives_an_empty_page(seeded, client):
    code = "E23000013"  # Cleveland Police, whose only figure is withdrawn here
    Figure.objects.filter(geography__code=code).update(status="withdrawn")
    page = get_json(client, f"{URL}?geography={code}")
    assert (page["count"], page["results"]) == (0, [])
