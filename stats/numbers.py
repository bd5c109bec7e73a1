"""The one number formatter: every page, table and download writes values through it."""

from decimal import Decimal


def format_value(value: Decimal, unit: str) -> str:
    """3217 -> '3,217'; 48 percent -> '48%'; 5 years -> '5 years'; a rate per 10,000 -> '2.4'."""
    value = Decimal(value)
    text = f"{value.normalize():,f}" if value != value.to_integral_value() else f"{int(value):,}"
    if unit == "percent":
        return f"{text}%"
    if unit == "rate":
        return f"{value:,.1f}"
    if unit == "years":
        return f"{text} year" if value == 1 else f"{text} years"
    return text
