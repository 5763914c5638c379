"""Which assumptions move an initiative's NPV most: a tornado chart."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    VERMILLION,
    apply_layout,
    empty_figure,
    format_money,
    is_empty,
    money_axis,
    plain_text,
    require_columns,
)


def tornado(df: pd.DataFrame, *, title: str = "What moves the NPV most") -> go.Figure:
    """Horizontal bars of the NPV change when one factor moves to its low or
    its high end, the widest swing on top.

    `df` has `factor`, `npv_low`, `npv_high` and `base` (the NPV with every
    factor at its likely value), and optional `low_label` / `high_label`. Returns
    two Bar traces, "Low end" and "High end", whose x is the change from the
    base NPV and whose text is the NPV reached.
    """
    if is_empty(df):
        return empty_figure("no sensitivity computed", title=title)
    require_columns(df, ["factor", "npv_low", "npv_high", "base"], chart="tornado")
    data = df.assign(swing=(df["npv_high"] - df["npv_low"]).abs())
    data = data.sort_values("swing", ascending=True, kind="stable")
    factors = [plain_text(f) for f in data["factor"]]
    fig = go.Figure()
    for name, column, label, colour in (
        ("Low end", "npv_low", "low_label", VERMILLION),
        ("High end", "npv_high", "high_label", BLUE),
    ):
        ends = data[label].tolist() if label in data.columns else [""] * len(data)
        fig.add_trace(
            go.Bar(
                name=name,
                y=factors,
                x=(data[column] - data["base"]).round(2).tolist(),
                orientation="h",
                marker_color=colour,
                text=[format_money(v) for v in data[column]],
                textposition="outside",
                cliponaxis=False,
                hovertext=[f"at {plain_text(e)}" if e else "" for e in ends],
                hovertemplate="%{y} %{hovertext}: NPV %{text}<extra></extra>",
            )
        )
    base = float(data["base"].iloc[0])
    moves = [0.0, *(data["npv_low"] - data["base"]), *(data["npv_high"] - data["base"])]
    low, high = min(moves), max(moves)
    # Room past both ends for the NPV printed outside each bar.
    pad = 0.3 * ((high - low) or 1.0)
    apply_layout(fig, title=title, height=160 + 40 * len(factors))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(
        title_text=f"Change in risk-adjusted NPV from {format_money(base)}",
        zeroline=True,
        **money_axis(),
        range=[low - pad if low < 0 else low, high + pad if high > 0 else high],
    )
    return fig
