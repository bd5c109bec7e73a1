import datetime as dt
from decimal import Decimal

import pytest

from dashboard.words import Point, change_sentences, coverage_sentences, describe_change, in_sentence
from stats.spans import CALENDAR_YEAR, FINANCIAL_YEAR


@pytest.mark.parametrize(
    ("old", "new", "phrase"),
    [
        (23, 202, "rose almost nine-fold"),
        (194, 457, "more than doubled"),
        (194, 391, "more than doubled"),
        (3728, 7263, "almost doubled"),
        (100, 200, "doubled"),
        (100, 300, "tripled"),
        (100, 290, "almost tripled"),
        (100, 1200, "rose 12-fold"),
        (3217, 4373, "rose by 36%"),
        (100, 101, "stayed about the same"),
        (100, 88, "fell by 12%"),
        (100, 50, "halved"),
        (100, 40, "more than halved"),
        (0, 5, "rose from zero"),
    ],
)
def test_it_describes_a_change_in_plain_words(old, new, phrase):
    assert describe_change(old, new) == phrase


def _point(label: str, value: int, year: int, **extra) -> Point:
    return Point(label, f"{value:,}", Decimal(value), FINANCIAL_YEAR, dt.date(year, 4, 1), **extra)


def test_the_latest_change_comes_first_then_the_longer_run():
    points = [_point("2017/18", 194, 2017), _point("2023/24", 457, 2023), _point("2024/25", 391, 2024)]
    first, second, *rest = change_sentences("West Midlands: offences recorded", points)
    assert first == "West Midlands: offences recorded fell by 14%, from 457 in 2023/24 to 391 in 2024/25."
    assert second == "Since 2017/18, the first year published (194), it more than doubled."
    assert "No figure was published for 2018/19 to 2022/23." in rest


def test_a_gap_before_the_latest_figure_is_said_in_the_first_sentence():
    (sentence,) = change_sentences("X", [_point("2018/19", 100, 2018), _point("2020/21", 120, 2020)])
    assert sentence.endswith("to 120 in 2020/21 (no figure was published for 2019/20).")


def test_a_part_year_base_is_flagged():
    in_force = dt.date(2017, 4, 3)
    points = [
        Point("2017", "23", Decimal(23), CALENDAR_YEAR, dt.date(2017, 1, 1), months_covered=9, in_force=in_force),
        Point("2022", "202", Decimal(202), CALENDAR_YEAR, dt.date(2022, 1, 1)),
    ]
    said = " ".join(change_sentences("West Midlands Police", points))
    assert "2017 covers only about nine months: the offence came into force on 3 April 2017" in said


def test_changed_coverage_is_said_only_among_periods_that_state_it():
    points = [
        _point("2021/22", 6156, 2021, coverage="41 UK forces"),
        _point("2022/23", 6350, 2022),
        _point("2024/25", 7263, 2024, coverage="44 UK forces (all but Lincolnshire)"),
    ]
    said = change_sentences("UK", points)
    assert said[-1] == (
        "The forces counted changed: 41 UK forces in 2021/22 and 44 UK forces (all but Lincolnshire) in 2024/25."
    )
    assert not coverage_sentences(points[:2])


def test_one_point_is_said_to_be_the_only_one():
    assert change_sentences("X", [_point("2021/22", 141, 2021)]) == [
        "X stood at 141 in 2021/22, the only yearly figure published."
    ]


@pytest.mark.parametrize(
    ("name", "in_a_sentence"),
    [
        ("Offences recorded", "offences recorded"),
        ("Sexual grooming (Home Office 88A)", "sexual grooming (Home Office 88A)"),
        ("NSPCC figures", "NSPCC figures"),
    ],
)
def test_names_keep_their_capitals_inside_a_sentence(name, in_a_sentence):
    assert in_sentence(name) == in_a_sentence
