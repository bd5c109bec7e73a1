"""The one number formatter: every page, table and download writes values through it."""

from decimal import Decimal

# The words a source may put before a number ("around 40%", "at least 4,373"). The figure
# keeps them, so a page never states more precisely than its source did.
QUALIFIERS = ("about", "at least", "more than", "almost", "fewer than")


def format_value(value: Decimal, unit: str, qualifier: str = "") -> str:
    """3217 -> '3,217'; 48 percent -> '48%'; 5 years -> '5 years'; a rate per 10,000 -> '2.4';
    40 percent "about" -> 'about 40%'."""
    number = _format_number(Decimal(value), unit)
    return f"{qualifier} {number}" if qualifier else number


def plain_number(value: Decimal) -> str:
    """A value as a download writes it: 457, not 457.00; 12.5 stays 12.5; no thousands separator."""
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"


def _format_number(value: Decimal, unit: str) -> str:
    text = f"{value.normalize():,f}" if value != value.to_integral_value() else f"{int(value):,}"
    if unit == "percent":
        return f"{text}%"
    if unit == "rate":
        return f"{value:,.1f}"
    if unit == "years":
        return f"{text} year" if value == 1 else f"{text} years"
    return text
