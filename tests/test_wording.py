import pytest

from stats.wording import describe_change


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
