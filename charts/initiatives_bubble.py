"""Initiatives on one page: what they cost, what they return, whom they reach."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    INK,
    NEGATIVE,
    POSITIVE,
    apply_layout,
    empty_figure,
    format_money,
    is_empty,
    money_axis,
    plain_text,
    require_columns,
)

LARGEST_BUBBLE_PX = 40
SMALLEST_BUBBLE_PX = 6


def initiatives_bubble(
    df: pd.DataFrame,
    *,
    currency: str = "$",
    title: str = "Initiatives: cost, value and reach",
) -> go.Figure:
    """A bubble per initiative: x = PV of costs, y = risk-adjusted NPV, size =
    customers reached (the largest bubble about 40 px across), with a zero line
    for NPV.

    `df` has `title`, `cost` (PV costs), `npv` (risk-adjusted NPV) and
    `customers`. Bubbles above zero are green, below vermillion; hover shows the
    three figures. Returns one Scatter trace (mode markers+text).
    """
    if is_empty(df):
        return empty_figure("no costed initiatives", title=title)
    require_columns(
        df, ["title", "cost", "npv", "customers"], chart="initiatives_bubble"
    )
    cost = pd.to_numeric(df["cost"], errors="coerce").fillna(0.0)
    npv = pd.to_numeric(df["npv"], errors="coerce").fillna(0.0)
    customers = pd.to_numeric(df["customers"], errors="coerce").fillna(0.0).clip(0)
    largest = float(customers.max())
    # With sizemode "area" a marker of size s is sqrt(s / sizeref) px across, so
    # this sizeref makes the largest bubble LARGEST_BUBBLE_PX wide.
    sizeref = largest / LARGEST_BUBBLE_PX**2 if largest > 0 else 1.0
    sizes = customers.tolist() if largest > 0 else [SMALLEST_BUBBLE_PX**2] * len(df)
    hover = [
        f"<b>{plain_text(t)}</b><br>PV costs {format_money(c, currency=currency)}"
        f"<br>Risk-adjusted NPV {format_money(n, currency=currency)}"
        f"<br>Customers {int(k):,}"
        for t, c, n, k in zip(df["title"], cost, npv, customers, strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            name="Initiatives",
            x=cost.tolist(),
            y=npv.tolist(),
            mode="markers+text",
            text=[plain_text(t) for t in df["title"]],
            textposition="top center",
            hovertext=hover,
            hoverinfo="text",
            marker={
                "size": sizes,
                "sizemode": "area",
                "sizeref": sizeref,
                "sizemin": SMALLEST_BUBBLE_PX,
                "color": [POSITIVE if v >= 0 else NEGATIVE for v in npv],
                "opacity": 0.75,
                "line": {"width": 1, "color": "white"},
            },
            cliponaxis=False,
        )
    )
    fig.add_hline(y=0, line={"color": INK, "width": 1, "dash": "dot"})
    apply_layout(fig, title=title, height=480, legend=False)
    fig.update_xaxes(
        title_text="PV of costs", rangemode="tozero", **money_axis(currency)
    )
    fig.update_yaxes(title_text="Risk-adjusted NPV", **money_axis(currency))
    return fig
