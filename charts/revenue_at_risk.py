"""Where the money is: annual revenue of unhappy customers, per theme."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    ORANGE,
    apply_layout,
    empty_figure,
    format_money,
    is_empty,
    money_axis,
    plain_text,
    require_columns,
)


def revenue_at_risk(
    df: pd.DataFrame,
    *,
    currency: str = "$",
    title: str = "Revenue at risk by theme",
) -> go.Figure:
    """Horizontal bars of revenue at risk, largest at the top, with money labels.

    `df` has `theme` and `revenue_at_risk` (annual revenue of distinct customers
    with a negative item on the theme; missing values count as 0). Returns one
    Bar trace whose y is the themes sorted by amount, descending.
    """
    if is_empty(df):
        return empty_figure("no themes with revenue at risk", title=title)
    require_columns(df, ["theme", "revenue_at_risk"], chart="revenue_at_risk")
    data = pd.DataFrame(
        {
            "theme": df["theme"].map(plain_text),
            "amount": pd.to_numeric(df["revenue_at_risk"], errors="coerce").fillna(0.0),
        }
    ).sort_values("amount", ascending=False, kind="stable")
    fig = go.Figure(
        go.Bar(
            name="Revenue at risk",
            x=data["amount"].tolist(),
            y=data["theme"].tolist(),
            orientation="h",
            marker_color=ORANGE,
            text=[format_money(v, currency=currency) for v in data["amount"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: " + currency + "%{x:,.0f}<extra></extra>",
        )
    )
    apply_layout(fig, title=title, height=140 + 36 * len(data), legend=False)
    # Room on the right for the labels printed past the longest bar.
    top = float(data["amount"].max())
    fig.update_xaxes(
        title_text="Annual revenue at risk",
        range=[0, top * 1.18 if top > 0 else 1],
        **money_axis(currency),
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=data["theme"].tolist(),
        autorange="reversed",
    )
    return fig
