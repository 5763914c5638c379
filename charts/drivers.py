"""What moves a score: each theme's impact with its 95% interval, sorted."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    GREY,
    NEGATIVE,
    POSITIVE,
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
)


def impact_points(
    df: pd.DataFrame, *, title: str, axis: str, null: float, log: bool, harm_up: bool
) -> go.Figure:
    """Points with error bars, one row per theme, the most harmful on top.

    `null` is the no-effect value (a dashed line); `harm_up` says a larger
    impact is the harm (NPS cost, churn ratio) rather than a smaller one."""
    if is_empty(df):
        return empty_figure("no theme with enough items", title=title)
    require_columns(df, ["name", "impact", "low", "high"], chart="drivers")
    data = df.sort_values("impact", ascending=harm_up, kind="stable")
    significant = (
        data["significant"] if "significant" in data else pd.Series(True, data.index)
    )
    harmful = data["impact"] > null if harm_up else data["impact"] < null
    colours = [
        (NEGATIVE if bad else POSITIVE) if sig else GREY
        for bad, sig in zip(harmful, significant, strict=True)
    ]
    names = [
        plain_text(n) + ("" if sig else " (no clear effect)")
        for n, sig in zip(data["name"], significant, strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=data["impact"].round(3).tolist(),
            y=names,
            mode="markers",
            marker={"color": colours, "size": 11},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (data["high"] - data["impact"]).round(3).tolist(),
                "arrayminus": (data["impact"] - data["low"]).round(3).tolist(),
                "color": GREY,
            },
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.add_vline(x=null, line_dash="dash", line_color=GREY)
    apply_layout(fig, title=title, height=160 + 36 * len(data))
    fig.update_xaxes(title_text=axis, type="log" if log else "linear")
    return fig


def drivers(
    df: pd.DataFrame, *, title: str = "What moves the score", unit: str = "points"
) -> go.Figure:
    """Score or NPS drivers. `df` has `name`, `impact`, `low`, `high` (the 95%
    interval) and optional `significant`; `unit` names the axis ("points",
    "NPS points gained if fixed"). A cost in NPS points is harm upward; a
    score effect is harm downward."""
    harm_up = unit.startswith("NPS")
    return impact_points(
        df,
        title=title,
        axis=f"Effect on the score ({unit}), 95% interval",
        null=0.0,
        log=False,
        harm_up=harm_up,
    )
