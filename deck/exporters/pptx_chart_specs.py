"""What a native PowerPoint chart needs, read from a deck's plotly figure.

`chart_spec(fig)` turns the traces of one figure (bars, lines, a waterfall,
ranges drawn as bars with a base, bubbles, a radar) into a `ChartSpec`: the
categories, the series with their values and colours, the number format and
the axis titles. It returns None for a figure PowerPoint cannot draw natively
(a heatmap, a histogram, an empty "No data yet" figure), which then goes into
the PPTX as a picture. Nothing here imports python-pptx.
"""

import plotly.graph_objects as go

from deck.exporters.pptx_chart_model import (
    BAR_H,
    BAR_H_STACKED,
    BUBBLE,
    COLUMN,
    COLUMN_STACKED,
    LINE,
    RADAR,
    ChartSpec,
    SeriesSpec,
    as_numbers,
    axis_title,
    category_values,
    figure_title,
    iso_dates,
    number_format,
    text,
    trace_colour,
)
from deck.exporters.pptx_chart_ranges import ranges_spec, waterfall_spec


def chart_spec(fig: go.Figure) -> ChartSpec | None:
    """The native chart for `fig`, or None when it has to stay a picture."""
    traces = list(fig.data)
    if not traces:
        return None
    types = {t.type for t in traces}
    if types == {"scatterpolar"}:
        return _radar(fig, traces)
    if types == {"waterfall"} and len(traces) == 1:
        return waterfall_spec(fig, traces[0])
    bars = [t for t in traces if t.type == "bar"]
    if bars and types <= {"bar", "scatter"}:
        if any(t.base is not None for t in bars):
            return ranges_spec(fig, bars)
        return _bars(fig, traces, bars)
    if types == {"scatter"}:
        if any(_has_sizes(t) for t in traces):
            return _bubble(fig, traces)
        if all("lines" in (t.mode or "lines") for t in traces):
            return _lines(fig, traces)
    return None


def _bars(fig: go.Figure, traces, bars) -> ChartSpec:
    horizontal = bars[0].orientation == "h"
    value_axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    category_axis = fig.layout.yaxis if horizontal else fig.layout.xaxis
    categories = category_values(bars[0].y if horizontal else bars[0].x)
    keys = [str(c) for c in categories]
    stacked = fig.layout.barmode in ("stack", "relative") and len(bars) > 1
    spec = ChartSpec(
        kind=(BAR_H_STACKED if stacked else BAR_H)
        if horizontal
        else (COLUMN_STACKED if stacked else COLUMN),
        title=figure_title(fig),
        categories=categories,
        value_title=axis_title(value_axis),
        category_title=axis_title(category_axis),
        reverse=horizontal and category_axis.autorange == "reversed",
    )
    every = []
    for index, trace in enumerate(traces):
        # A line over columns stays (a combo chart); markers on bars (a target,
        # a payback point) are said in the notes and bullets instead.
        is_line = trace.type == "scatter" and "lines" in (trace.mode or "lines")
        if trace.type != "bar" and (horizontal or not is_line):
            continue
        cats = category_values(trace.y if horizontal else trace.x)
        vals = as_numbers(trace.x if horizontal else trace.y)
        by_key = dict(zip([str(c) for c in cats], vals, strict=False))
        values = [by_key.get(k) for k in keys]
        colour, points = trace_colour(trace, index)
        spec.series.append(
            SeriesSpec(
                name=text(trace.name) or f"Series {index + 1}",
                values=values,
                colour=colour,
                point_colours=points,
                as_line=is_line,
            )
        )
        every += values
    spec.value_format = number_format(value_axis, every)
    spec.legend = len(spec.series) > 1
    spec.labels = len(spec.series) == 1
    return spec


def _lines(fig: go.Figure, traces) -> ChartSpec:
    categories: list = []
    for trace in traces:
        for value in category_values(trace.x):
            if value not in categories:
                categories.append(value)
    spec = ChartSpec(
        kind=LINE,
        title=figure_title(fig),
        categories=iso_dates(categories),
        value_title=axis_title(fig.layout.yaxis),
        category_title=axis_title(fig.layout.xaxis),
    )
    every = []
    for index, trace in enumerate(traces):
        by_x = dict(zip(category_values(trace.x), as_numbers(trace.y), strict=False))
        values = [by_x.get(c) for c in categories]
        colour, _ = trace_colour(trace, index)
        spec.series.append(
            SeriesSpec(name=text(trace.name) or f"Series {index + 1}", values=values)
        )
        spec.series[-1].colour = colour
        every += values
    spec.value_format = number_format(fig.layout.yaxis, every)
    spec.legend = len(spec.series) > 1
    return spec


def _has_sizes(trace) -> bool:
    size = getattr(trace.marker, "size", None) if trace.marker else None
    return isinstance(size, list | tuple) and len(size) > 1


def _bubble(fig: go.Figure, traces) -> ChartSpec:
    spec = ChartSpec(
        kind=BUBBLE,
        title=figure_title(fig),
        value_title=axis_title(fig.layout.yaxis),
        category_title=axis_title(fig.layout.xaxis),
    )
    xs_all, ys_all = [], []
    for index, trace in enumerate(traces):
        xs, ys = as_numbers(trace.x), as_numbers(trace.y)
        sizes = as_numbers(trace.marker.size) if _has_sizes(trace) else [1.0] * len(xs)
        labels = [text(t) for t in (trace.text or [])] or [""] * len(xs)
        colour, _ = trace_colour(trace, index)
        spec.series.append(
            SeriesSpec(
                name=text(trace.name) or f"Series {index + 1}",
                values=ys,
                xs=xs,
                sizes=[max(s or 0.0, 0.1) for s in sizes],
                point_labels=labels,
                colour=colour,
            )
        )
        xs_all += xs
        ys_all += ys
    spec.value_format = number_format(fig.layout.yaxis, ys_all)
    spec.x_format = number_format(fig.layout.xaxis, xs_all)
    return spec


def _radar(fig: go.Figure, traces) -> ChartSpec:
    categories: list = []
    for trace in traces:
        for value in category_values(trace.theta):
            if value not in categories:
                categories.append(value)
    spec = ChartSpec(kind=RADAR, title=figure_title(fig), categories=categories)
    for index, trace in enumerate(traces):
        by_theta = dict(
            zip(category_values(trace.theta), as_numbers(trace.r), strict=False)
        )
        colour, _ = trace_colour(trace, index)
        spec.series.append(
            SeriesSpec(
                name=text(trace.name) or f"Series {index + 1}",
                values=[by_theta.get(c) for c in categories],
                colour=colour,
            )
        )
    spec.value_format = "0.0"
    spec.legend = len(spec.series) > 1
    return spec
