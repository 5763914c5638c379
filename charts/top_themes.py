"""Why each top theme ranks where it does: its score split by component."""

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    VERMILLION,
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
)

# The ranking formula's default weights (DESIGN.md, "Ranking").
DEFAULT_WEIGHTS = {
    "customers": 0.35,
    "revenue_at_risk": 0.35,
    "negative_share": 0.15,
    "trend": 0.10,
    "votes": 0.05,
}
COMPONENT_LABELS = {
    "customers": "Customers",
    "revenue_at_risk": "Revenue at risk",
    "negative_share": "Negative share",
    "trend": "Rising trend",
    "votes": "Advisor votes",
}
COMPONENT_COLOURS = {
    "customers": BLUE,
    "revenue_at_risk": ORANGE,
    "negative_share": VERMILLION,
    "trend": PURPLE,
    "votes": GREY,
}


def top_themes(
    df: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    title: str = "Top themes: what drives each score",
) -> go.Figure:
    """Horizontal stacked bars of each theme's weighted score components.

    `df` holds one row per theme, best first (rank 1 is drawn on top): `theme`,
    optional `score` (shown on hover), and the normalised components
    `customers`, `revenue_at_risk`, `negative_share`, `trend`, `votes`, each in
    0..1 (a missing component column is left out). Each segment is
    weight x component, with `weights` over DEFAULT_WEIGHTS; a negative trend is
    counted as 0, as in the score. Raw figures (above 1) raise ValueError.
    Returns one Bar trace per component, in the order of DEFAULT_WEIGHTS.
    """
    if is_empty(df):
        return empty_figure("no ranked themes", title=title)
    require_columns(df, ["theme"], chart="top_themes")
    used = {**DEFAULT_WEIGHTS, **(weights or {})}
    themes = [plain_text(t) for t in df["theme"]]
    scores = (
        pd.to_numeric(df["score"], errors="coerce").tolist()
        if "score" in df.columns
        else [None] * len(themes)
    )
    fig = go.Figure()
    for name in DEFAULT_WEIGHTS:
        if name not in df.columns:
            continue
        component = pd.to_numeric(df[name], errors="coerce").fillna(0.0)
        if (component > 1 + 1e-9).any():
            raise ValueError(
                f"top_themes: column {name} must hold normalised values in 0..1"
            )
        contribution = float(used[name]) * component.clip(lower=0.0)
        fig.add_trace(
            go.Bar(
                name=COMPONENT_LABELS[name],
                x=contribution.tolist(),
                y=themes,
                orientation="h",
                marker_color=COMPONENT_COLOURS[name],
                customdata=[[c, s] for c, s in zip(component, scores, strict=True)],
                hovertemplate=(
                    "%{y}<br>"
                    + COMPONENT_LABELS[name]
                    + ": %{x:.3f} (component %{customdata[0]:.2f})"
                    + "<br>score %{customdata[1]:.3f}<extra></extra>"
                ),
            )
        )
    apply_layout(fig, title=title, height=140 + 36 * len(themes))
    # Stacked bars reverse their legend by default; keep the formula's order.
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text="Weighted score", rangemode="tozero")
    # Category order as given, first row at the top.
    fig.update_yaxes(categoryorder="array", categoryarray=themes, autorange="reversed")
    return fig
