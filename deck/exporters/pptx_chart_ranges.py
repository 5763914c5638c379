"""Bars that start somewhere else than zero, as PowerPoint draws them: ranges
(P10 to P90), the segments of one bar (the strategy steps) and a waterfall,
each a stacked bar over an invisible base series."""

import plotly.graph_objects as go

from charts.layout import BLUE, NEGATIVE, POSITIVE
from deck.exporters.pptx_chart_model import (
    BAR_H_STACKED,
    COLUMN_STACKED,
    ChartSpec,
    SeriesSpec,
    as_numbers,
    axis_title,
    category_values,
    figure_title,
    number_format,
    text,
    trace_colour,
)


def range_parts(low: float, high: float) -> tuple[float, float, float]:
    """A bar from `low` to `high` as stacked parts (invisible base, positive,
    negative): PowerPoint stacks positives up and negatives down from zero."""
    low, high = min(low, high), max(low, high)
    if low >= 0:
        return low, high - low, 0.0
    if high <= 0:
        return high, 0.0, low - high
    return 0.0, high, low


def _range_spec(fig, *, kind, categories, spans, colours, labels, name) -> ChartSpec:
    base, up, down = zip(*(range_parts(lo, hi) for lo, hi in spans), strict=True)
    value_axis = fig.layout.xaxis if kind == BAR_H_STACKED else fig.layout.yaxis
    category_axis = fig.layout.yaxis if kind == BAR_H_STACKED else fig.layout.xaxis
    flat = [v for span in spans for v in span]
    return ChartSpec(
        kind=kind,
        title=figure_title(fig),
        categories=categories,
        series=[
            SeriesSpec(name="base", values=list(base), hidden=True),
            SeriesSpec(
                name=name,
                values=[v or None for v in up],
                point_colours=colours,
                point_labels=[
                    lab if u else "" for lab, u in zip(labels, up, strict=True)
                ],
            ),
            SeriesSpec(
                name=f"{name} (below zero)",
                values=[v or None for v in down],
                point_colours=colours,
                point_labels=[
                    lab if d and not u else ""
                    for lab, u, d in zip(labels, up, down, strict=True)
                ],
            ),
        ],
        value_format=number_format(value_axis, flat),
        value_title=axis_title(value_axis),
        category_title=axis_title(category_axis),
        reverse=category_axis.autorange == "reversed",
    )


def ranges_spec(fig: go.Figure, bars) -> ChartSpec:
    """Bars with a base: P10-P90 ranges per initiative, or the segments of one
    bar (the strategy steps), as stacked bars over an invisible base."""
    bar = bars[0]
    horizontal = bar.orientation == "h"
    cats = category_values(bar.y if horizontal else bar.x)
    widths = as_numbers(bar.x if horizontal else bar.y)
    bases = as_numbers(
        bar.base if isinstance(bar.base, list | tuple) else [bar.base] * len(widths)
    )
    colour, points = trace_colour(bar, 0)
    labels = [text(t) for t in (bar.text or [])] if bar.text is not None else []
    if len(set(map(str, cats))) == 1 and len(cats) > 1:
        return _segments(fig, cats[0], widths, points or [colour] * len(cats), labels)
    spans = [
        (b or 0.0, (b or 0.0) + (w or 0.0)) for b, w in zip(bases, widths, strict=False)
    ]
    return _range_spec(
        fig,
        kind=BAR_H_STACKED if horizontal else COLUMN_STACKED,
        categories=cats,
        spans=spans,
        colours=points or [colour] * len(cats),
        labels=labels or [""] * len(cats),
        name=text(bar.name) or "Range",
    )


def _segments(fig, category, widths, colours, labels) -> ChartSpec:
    spec = ChartSpec(kind=BAR_H_STACKED, title=figure_title(fig), categories=[category])
    for index, width in enumerate(widths):
        label = labels[index] if index < len(labels) else ""
        spec.series.append(
            SeriesSpec(
                name=label or f"Part {index + 1}",
                values=[width],
                colour=colours[index],
                point_labels=[label],
            )
        )
    return spec


def waterfall_spec(fig: go.Figure, trace) -> ChartSpec:
    """A waterfall as stacked columns over an invisible base: each step runs
    from the balance before it to the balance after; totals start at zero."""
    categories = category_values(trace.x)
    steps = as_numbers(trace.y)
    measures = list(trace.measure or ["relative"] * len(steps))
    labels = [text(t) for t in (trace.text or [])] or [""] * len(steps)
    spans, colours, balance = [], [], 0.0
    for step, measure in zip(steps, measures, strict=False):
        step = step or 0.0
        if measure == "total":
            spans.append((0.0, step))
            colours.append(BLUE)
            balance = step
            continue
        spans.append((balance, balance + step))
        colours.append(POSITIVE if step >= 0 else NEGATIVE)
        balance += step
    return _range_spec(
        fig,
        kind=COLUMN_STACKED,
        categories=categories,
        spans=spans,
        colours=colours,
        labels=labels,
        name=text(trace.name) or "Amount",
    )
