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

    `df` has `period`, `theme` and `mentions`. Periods run in time order: dates
    (or text that parses as dates) and numbers are sorted by value; any other
    labels keep the order they come in ("Week 2" before "Week 10", never the
    text order). Themes are ordered by total mentions, most first, so the
    busiest theme takes the first colour. Returns one Scatter trace per theme.
    """
    if is_empty(df):
        return empty_figure("no theme mentions over time", title=title)
    require_columns(df, ["period", "theme", "mentions"], chart="theme_trend")
    data = df.assign(
        theme=df["theme"].map(plain_text),
        mentions=pd.to_numeric(df["mentions"], errors="coerce").fillna(0),
        period=_periods(df["period"]),
    )
    data["_order"] = _period_order(data["period"])
    totals = data.groupby("theme", sort=False)["mentions"].sum()
    order = totals.sort_values(ascending=False, kind="stable").index
    fig = go.Figure()
    for theme in order:
        rows = data[data["theme"] == theme].sort_values("_order", kind="stable")
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


def _periods(periods: pd.Series) -> pd.Series:
    """Text that all parses as dates becomes dates; anything else is kept."""
    if pd.api.types.is_numeric_dtype(periods) or pd.api.types.is_datetime64_any_dtype(
        periods
    ):
        return periods
    parsed = pd.to_datetime(periods, errors="coerce", format="mixed")
    return parsed if parsed.notna().all() else periods


def _period_order(periods: pd.Series) -> pd.Series:
    """A sort key in time order: the value for dates and numbers, the order of
    first appearance for other labels."""
    if pd.api.types.is_numeric_dtype(periods) or pd.api.types.is_datetime64_any_dtype(
        periods
    ):
        return periods
    first = {label: i for i, label in enumerate(dict.fromkeys(periods.tolist()))}
    return periods.map(first)
