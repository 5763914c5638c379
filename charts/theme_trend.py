"""How often each theme comes up over time."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
)


def theme_trend(
    df: pd.DataFrame, *, title: str = "Mentions per theme over time"
) -> go.Figure:
    """One line per theme of mentions per period.

    `df` has `period` (a date, or anything sortable), `theme` and `mentions`.
    Periods are sorted; themes are ordered by total mentions, most first, so the
    busiest theme takes the first colour. Returns one Scatter trace per theme.
    """
    if is_empty(df):
        return empty_figure("no theme mentions over time", title=title)
    require_columns(df, ["period", "theme", "mentions"], chart="theme_trend")
    data = df.assign(
        theme=df["theme"].map(plain_text),
        mentions=pd.to_numeric(df["mentions"], errors="coerce").fillna(0),
    )
    totals = data.groupby("theme", sort=False)["mentions"].sum()
    order = totals.sort_values(ascending=False, kind="stable").index
    fig = go.Figure()
    for theme in order:
        rows = data[data["theme"] == theme].sort_values("period", kind="stable")
        fig.add_trace(
            go.Scatter(
                name=theme,
                x=rows["period"].tolist(),
                y=rows["mentions"].tolist(),
                mode="lines+markers",
                hovertemplate=theme + "<br>%{x}: %{y} mentions<extra></extra>",
            )
        )
    apply_layout(fig, title=title, height=420)
    fig.update_yaxes(title_text="Mentions", rangemode="tozero")
    return fig
