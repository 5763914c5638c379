"""How sure we are of each initiative's NPV: its P10 to P90 range."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    INK,
    SKY,
    VERMILLION,
    apply_layout,
    empty_figure,
    is_empty,
    money_axis,
    plain_text,
    require_columns,
)

P10_LABEL = "P10 (downside)"


def npv_ranges(
    df: pd.DataFrame,
    *,
    currency: str = "$",
    title: str = "NPV range per initiative (Monte Carlo)",
) -> go.Figure:
    """A floating bar from P10 to P90 per initiative, with P10, P50 and P90 marks.

    `df` has `title`, `p10`, `p50`, `p90` (NPV percentiles, ascending, so P10 is
    the downside); rows keep their order, the first at the top. Returns a Bar
    trace "P10 to P90" (base = p10, length = p90 - p10) and Scatter traces
    "P10 (downside)", "P50" and "P90", plus a zero line.
    """
    if is_empty(df):
        return empty_figure("no Monte Carlo results yet", title=title)
    require_columns(df, ["title", "p10", "p50", "p90"], chart="npv_ranges")
    titles = [plain_text(t) for t in df["title"]]
    p10, p50, p90 = (
        pd.to_numeric(df[c], errors="coerce").tolist() for c in ("p10", "p50", "p90")
    )
    money = currency + "%{x:,.0f}"
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="P10 to P90",
            y=titles,
            x=[high - low for low, high in zip(p10, p90, strict=True)],
            base=p10,
            orientation="h",
            marker_color=SKY,
            opacity=0.6,
            hoverinfo="skip",
            width=0.5,
        )
    )
    marks = (
        (P10_LABEL, p10, VERMILLION, "triangle-left"),
        ("P50", p50, INK, "line-ns-open"),
        ("P90", p90, BLUE, "triangle-right"),
    )
    for name, values, colour, symbol in marks:
        fig.add_trace(
            go.Scatter(
                name=name,
                y=titles,
                x=values,
                mode="markers",
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": 14,
                    "line": {"width": 3, "color": colour},
                },
                hovertemplate="%{y}<br>" + name + ": " + money + "<extra></extra>",
            )
        )
    fig.add_vline(x=0, line={"color": INK, "width": 1, "dash": "dot"})
    apply_layout(fig, title=title, height=160 + 44 * len(titles))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text="NPV", **money_axis(currency))
    fig.update_yaxes(categoryorder="array", categoryarray=titles, autorange="reversed")
    return fig
