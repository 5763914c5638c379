"""Cash over the horizon: net flow per year and the running total."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    INK,
    NEGATIVE,
    POSITIVE,
    apply_layout,
    empty_figure,
    format_money,
    is_empty,
    money_axis,
    require_columns,
)


def cumulative_cash(
    df: pd.DataFrame,
    *,
    payback_months: float | None = None,
    currency: str = "$",
    title: str = "Cash flow and payback",
) -> go.Figure:
    """Bars of net cash per year and a line of cumulative cash, with the payback
    point marked.

    `df` has `t` (year 0..H, 0 being the initial column), `net` and `cumulative`
    (undiscounted). When `payback_months` is given, a diamond sits on the zero
    line at x = payback_months / 12 (where the cumulative line crosses zero, as
    flows are even within a year) with a "Payback: N months" note. Returns a Bar
    trace "Net cash flow", a Scatter "Cumulative" and, with payback, a Scatter
    "Payback".
    """
    if is_empty(df):
        return empty_figure("no cash flows for this initiative", title=title)
    require_columns(df, ["t", "net", "cumulative"], chart="cumulative_cash")
    data = df.sort_values("t", kind="stable")
    years = pd.to_numeric(data["t"], errors="coerce").tolist()
    net = pd.to_numeric(data["net"], errors="coerce").fillna(0.0)
    cumulative = pd.to_numeric(data["cumulative"], errors="coerce")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Net cash flow",
            x=years,
            y=net.tolist(),
            marker_color=[POSITIVE if v >= 0 else NEGATIVE for v in net],
            text=[format_money(v, currency=currency) for v in net],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="Year %{x}: " + currency + "%{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="Cumulative",
            x=years,
            y=cumulative.tolist(),
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
            hovertemplate="End of year %{x}: "
            + currency
            + "%{y:,.0f} cumulative<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": INK, "width": 1})
    if payback_months is not None:
        label = f"Payback: {payback_months:.1f} months"
        fig.add_trace(
            go.Scatter(
                name="Payback",
                x=[payback_months / 12],
                y=[0.0],
                mode="markers",
                marker={"symbol": "diamond", "size": 14, "color": INK},
                hovertemplate=label + "<extra></extra>",
            )
        )
        fig.add_annotation(
            x=payback_months / 12,
            y=0,
            text=label,
            showarrow=True,
            arrowhead=0,
            ax=0,
            ay=-40,
            font={"color": INK},
        )
    apply_layout(fig, title=title, height=420)
    fig.update_xaxes(
        title_text="Year",
        tickmode="array",
        tickvals=years,
        ticktext=["Initial" if y == 0 else f"Year {y:g}" for y in years],
    )
    fig.update_yaxes(**money_axis(currency))
    return fig
