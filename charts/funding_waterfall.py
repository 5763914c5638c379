"""Where the money comes from, where it goes, and what is left or missing."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
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

KINDS = ("source", "need", "total")


def funding_waterfall(
    df: pd.DataFrame,
    *,
    currency: str = "$",
    title: str = "Funding: sources, needs and the gap",
) -> go.Figure:
    """A waterfall in which sources add up, needs subtract and totals show the
    running balance.

    `df` has `label`, `amount` and `kind` ("source" | "need" | "total"), in the
    order to draw. A source adds and a need subtracts its absolute amount (so
    either sign may be stored); a total row's amount is ignored and replaced by
    the running balance. When the last row is not a total, a final total is
    added, labelled "Short of needs" when negative, else "Left after needs" (the
    sources' totals against the needs' totals; "funding gap" is kept for the
    funding plan's gap, the needs each year's allocations lack). Returns one
    Waterfall trace whose y holds the signed steps and the balances at the
    totals.
    """
    if is_empty(df):
        return empty_figure("no funding sources or needs", title=title)
    require_columns(df, ["label", "amount", "kind"], chart="funding_waterfall")
    unknown = sorted(set(df["kind"]) - set(KINDS))
    if unknown:
        raise ValueError(f"funding_waterfall: unknown kind(s) {unknown}")
    labels, measures, values = [], [], []
    balance = 0.0
    amounts = pd.to_numeric(df["amount"], errors="coerce").fillna(0.0)
    for label, amount, kind in zip(df["label"], amounts, df["kind"], strict=True):
        if kind == "total":
            labels.append(plain_text(label))
            measures.append("total")
            values.append(balance)
            continue
        step = abs(amount) if kind == "source" else -abs(amount)
        balance += step
        labels.append(plain_text(label))
        measures.append("relative")
        values.append(step)
    if measures[-1] != "total":
        labels.append("Short of needs" if balance < 0 else "Left after needs")
        measures.append("total")
        values.append(balance)
    text = [
        format_money(v, currency=currency)
        if m == "total"
        else ("+" if v >= 0 else "") + format_money(v, currency=currency)
        for v, m in zip(values, measures, strict=True)
    ]
    fig = go.Figure(
        go.Waterfall(
            name="Funding",
            x=labels,
            y=values,
            measure=measures,
            text=text,
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": POSITIVE}},
            decreasing={"marker": {"color": NEGATIVE}},
            totals={"marker": {"color": BLUE}},
            connector={"line": {"color": "#9AA5B1", "dash": "dot"}},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    apply_layout(fig, title=title, height=440, legend=False)
    fig.update_yaxes(**money_axis(currency))
    return fig
