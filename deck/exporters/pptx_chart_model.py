"""The record of a native PowerPoint chart and the helpers that read plotly.

`ChartSpec` and `SeriesSpec` say what a chart needs (categories, series with
values and colours, number format, axis titles); the functions read a plotly
figure's labels, numbers and colours. No python-pptx here.
"""

import html
import math
from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go

from charts.layout import PALETTE

BAR_H, BAR_H_STACKED, COLUMN, LINE, BUBBLE, RADAR = (
    "bar_h",
    "bar_h_stacked",
    "column",
    "line",
    "bubble",
    "radar",
)
COLUMN_STACKED = "column_stacked"


@dataclass
class SeriesSpec:
    name: str
    values: list[float | None]
    colour: str | None = None
    point_colours: list[str] | None = None
    point_labels: list[str] | None = None
    hidden: bool = False  # the invisible base of a stacked range
    as_line: bool = False  # drawn as a line over the columns (a combo chart)
    xs: list[float] | None = None  # bubble charts
    sizes: list[float] | None = None


@dataclass
class ChartSpec:
    kind: str
    title: str
    categories: list = field(default_factory=list)
    series: list[SeriesSpec] = field(default_factory=list)
    value_format: str = "General"
    x_format: str = "General"  # bubble charts: the horizontal value axis
    value_title: str = ""
    category_title: str = ""
    legend: bool = False
    labels: bool = False  # show each value on its bar
    reverse: bool = False  # first category on top, as plotly's reversed axis


def text(value) -> str:
    """Plotly label text as plain text: tags dropped, entities decoded."""
    if value is None:
        return ""
    plain = str(value).replace("<br>", " ")
    while "<" in plain and ">" in plain.split("<", 1)[1]:
        head, rest = plain.split("<", 1)
        plain = head + rest.split(">", 1)[1]
    return html.unescape(plain).strip()


def figure_title(fig: go.Figure) -> str:
    return text(fig.layout.title.text if fig.layout.title else "")


def axis_title(axis) -> str:
    return text(axis.title.text) if axis is not None and axis.title else ""


def as_numbers(values) -> list[float | None]:
    out = []
    for value in list(values or []):
        try:
            number = float(value)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if math.isnan(number) else number)
    return out


def trace_colour(trace, index: int) -> tuple[str | None, list[str] | None]:
    colour = getattr(trace.marker, "color", None) if trace.marker else None
    if isinstance(colour, str) and colour.startswith("#"):
        return colour, None
    if isinstance(colour, list | tuple) and all(
        isinstance(c, str) and c.startswith("#") for c in colour
    ):
        return None, list(colour)
    line = getattr(getattr(trace, "line", None), "color", None)
    if isinstance(line, str) and line.startswith("#"):
        return line, None
    return PALETTE[index % len(PALETTE)], None


def number_format(axis, values) -> str:
    """An Excel number format for an axis: money as $950, $12k or $1.2M (the
    deck's `format_money`), percentages as 12.5% or 40%, else plain numbers."""
    prefix = getattr(axis, "tickprefix", None) or ""
    suffix = getattr(axis, "ticksuffix", None) or ""
    numbers = [abs(v) for v in values if v is not None]
    top = max(numbers, default=0.0)
    if "%" in (getattr(axis, "tickformat", None) or ""):
        return "0.0%"
    if suffix == "%":
        return '0"%"'
    if prefix:
        money = f'"{prefix}"'
        if top >= 1e6:
            shape = f'{money}#,##0.0,,"M"'
        elif top >= 1e4:
            shape = f'{money}#,##0,"k"'
        elif top >= 1e3:
            shape = f'{money}#,##0.0,"k"'
        else:
            shape = f"{money}#,##0"
        return f"{shape};-{shape}"
    if top and top < 10:
        return "0.00"
    return "#,##0"


def category_values(values) -> list:
    return [text(v) if isinstance(v, str) else v for v in list(values or [])]


def iso_dates(categories: list) -> list:
    """ISO dates as dates (PowerPoint then draws a date axis), else as given."""
    try:
        return [date.fromisoformat(str(c)[:10]) for c in categories]
    except ValueError:
        return categories
