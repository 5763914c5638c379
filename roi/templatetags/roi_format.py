"""Filters for business-case figures: money, percentages and months, with
"n/a" for a figure that has no meaning (ROI of no cost, payback never)."""

from django import template

register = template.Library()


def _number(value):
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def money(value):
    """12345.6 -> "$12,346"; -500 -> "-$500"; None -> "n/a"."""
    number = _number(value)
    if number is None:
        return "n/a"
    sign = "-" if round(number) < 0 else ""
    return f"{sign}${abs(number):,.0f}"


@register.filter
def pct(value):
    """0.6628 -> "66.3%"; None -> "n/a"."""
    number = _number(value)
    return "n/a" if number is None else f"{number * 100:.1f}%"


@register.filter
def months(value):
    """12.0 -> "12.0"; None -> "not within the horizon"."""
    number = _number(value)
    return "not within the horizon" if number is None else f"{number:.1f}"


@register.filter
def figure(value, kind):
    """Format by kind: "money", "percent" or "months"."""
    if kind == "money":
        return money(value)
    if kind == "percent":
        return pct(value)
    return months(value)


@register.filter
def at(values, index):
    """values[index], or None."""
    try:
        return values[index]
    except (IndexError, KeyError, TypeError):
        return None
