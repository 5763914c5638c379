"""One success metric (NPS, CSAT, ...) over time, against its target."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    GREEN,
    MUTED,
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
    series_or_none,
)


def metric_trend(df: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """A line of the metric's value per period, with its target (dashed) and
    baseline (dotted) when given.

    `df` has `period` and `value`, and optionally `target` and `baseline` (per
    row, usually repeated) and `metric` (its name, used for the line's name and
    the default title). Rows are sorted by period. Returns a Scatter trace named
    after the metric (or "Value"), then "Target" and "Baseline" when present.
    """
    name = (
        str(df["metric"].iloc[0])
        if not is_empty(df) and "metric" in df.columns
        else "Value"
    )
    title = title if title is not None else (name if name != "Value" else None)
    if is_empty(df):
        return empty_figure("no measurements of this metric", title=title)
    require_columns(df, ["period", "value"], chart="metric_trend")
    data = df.sort_values("period", kind="stable")
    periods = data["period"].tolist()
    # The title is escaped by apply_layout; the legend and hover need it here.
    label = plain_text(name)
    fig = go.Figure(
        go.Scatter(
            name=label,
            x=periods,
            y=pd.to_numeric(data["value"], errors="coerce").tolist(),
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
            hovertemplate="%{x}: %{y}<extra>" + label + "</extra>",
        )
    )
    for column, label, colour, dash in (
        ("target", "Target", GREEN, "dash"),
        ("baseline", "Baseline", MUTED, "dot"),
    ):
        values = series_or_none(data, column)
        if values is None:
            continue
        fig.add_trace(
            go.Scatter(
                name=label,
                x=periods,
                y=values.tolist(),
                mode="lines",
                line={"color": colour, "dash": dash, "width": 2},
                hovertemplate=label + ": %{y}<extra></extra>",
            )
        )
    apply_layout(fig, title=title, height=320)
    return fig
