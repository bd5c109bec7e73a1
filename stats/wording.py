"""Plain words for changes between two numbers, generated, never typed into a template.

Checked against the figures the press used: 202 against 23 is "rose almost
nine-fold", 457 against 194 "more than doubled".
"""

from decimal import Decimal

_MULTIPLES = {2: "doubled", 3: "tripled", 4: "quadrupled"}
_NUMBER_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


def describe_change(old: Decimal | int, new: Decimal | int) -> str:
    """A verb phrase for the change from old to new: 'more than doubled', 'fell by 12%'."""
    old, new = Decimal(old), Decimal(new)
    if old <= 0:
        return "rose from zero" if new > 0 else "stayed at zero"
    ratio = new / old
    if ratio >= 2:
        whole = int(ratio)
        if ratio == whole:
            return _multiple(whole, "")
        if ratio - whole >= Decimal("0.75"):
            return _multiple(whole + 1, "almost ")
        return _multiple(whole, "more than ")
    if ratio >= Decimal("1.9"):
        return "almost doubled"
    if ratio > Decimal("1.025"):
        return f"rose by {_percent(ratio - 1)}"
    if ratio >= Decimal("0.975"):
        return "stayed about the same"
    if ratio <= Decimal("0.5"):
        return "more than halved" if ratio < Decimal("0.5") else "halved"
    return f"fell by {_percent(1 - ratio)}"


def _multiple(times: int, qualifier: str) -> str:
    if times in _MULTIPLES:
        return f"{qualifier}{_MULTIPLES[times]}"
    return f"rose {qualifier}{_NUMBER_WORDS.get(times, str(times))}-fold"


def _percent(share: Decimal) -> str:
    return f"{round(share * 100):,}%"
