"""A restated figure keeps its earlier publication, and the latest one is current."""

from decimal import Decimal

from stats.models import Figure


def _england_and_wales_2017_18():
    return Figure.objects.filter(
        geography__code="K04000001",
        period__label="2017/18",
        offence__slug="sexual-communication-with-a-child",
        measure__slug="offences-recorded",
    )


def test_the_current_2017_18_england_and_wales_figure_is_the_restated_one(seeded):
    current = _england_and_wales_2017_18().current().get()
    assert current.value == Decimal("3217")
    assert current.source.published.year == 2019


def test_the_first_release_is_kept_as_an_earlier_revision(seeded):
    earlier = _england_and_wales_2017_18().superseded().get()
    assert earlier.value == Decimal("3171")
    assert earlier.source.published_label == "18 June 2018"


def test_only_restated_series_have_superseded_figures(seeded):
    # England and Wales 2017/18 (3,171, restated as 3,217) and Northern Ireland 2020/21 (196 in
    # 2021, 195 in the Belfast Telegraph's later article): the later publication is current.
    superseded = {(f.geography.code, f.period.label, f.value) for f in Figure.objects.superseded().select_related()}
    assert superseded == {("K04000001", "2017/18", 3171), ("N92000002", "2020/21", 196)}
    assert Figure.objects.current().get(geography__code="N92000002", period__label="2020/21").value == 195
    assert Figure.objects.current().count() == Figure.objects.count() - 2


def test_platform_shares_of_different_platforms_are_separate_series(seeded):
    shares = Figure.objects.current().filter(
        geography__code="K02000001", period__label="2023/24", measure__slug="platform-share"
    )
    assert {f.platform.name for f in shares} == {
        "Snapchat",
        "WhatsApp",
        "Facebook and Messenger",
        "Instagram",
        "Kik",
    }
