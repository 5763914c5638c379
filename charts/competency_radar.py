"""Self-assessed CX competencies, one outline per role."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    PALETTE,
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
    wrap_label,
)

ROLE_ORDER = ("cx_lead", "executive", "advisor", "all")
ROLE_LABELS = {
    "cx_lead": "CX leads",
    "executive": "Executives",
    "advisor": "Advisors",
    "all": "All roles",
}


def competency_radar(
    df: pd.DataFrame, *, title: str = "CX competencies by role"
) -> go.Figure:
    """A radar (Scatterpolar) with one closed outline per role, radius 0..5.

    `df` has `competency`, `role` ("cx_lead" | "executive" | "advisor" | "all",
    or an already readable label, kept as is) and `score` (1..5). Competencies
    keep their first-seen order round the circle; roles come in ROLE_ORDER, then
    any others as first seen. A missing score leaves a gap. Each trace repeats
    its first point at the end so the outline closes.
    """
    if is_empty(df):
        return empty_figure("no competency assessments", title=title)
    require_columns(df, ["competency", "role", "score"], chart="competency_radar")
    data = df.assign(
        # Wrapped: a long name at 3 o'clock would run out of the chart.
        competency=df["competency"].map(lambda c: wrap_label(plain_text(c))),
        role=df["role"].astype(str),
        score=pd.to_numeric(df["score"], errors="coerce"),
    )
    competencies = list(dict.fromkeys(data["competency"]))
    seen = list(dict.fromkeys(data["role"]))
    roles = [r for r in ROLE_ORDER if r in seen] + [
        r for r in seen if r not in ROLE_ORDER
    ]
    fig = go.Figure()
    for index, role in enumerate(roles):
        colour = PALETTE[index % len(PALETTE)]
        by_competency = (
            data[data["role"] == role].groupby("competency", sort=False)["score"].mean()
        )
        scores = [by_competency.get(c) for c in competencies]
        scores = [None if s is None or pd.isna(s) else float(s) for s in scores]
        label = plain_text(ROLE_LABELS.get(role, role))
        fig.add_trace(
            go.Scatterpolar(
                name=label,
                r=scores + scores[:1],
                theta=competencies + competencies[:1],
                mode="lines+markers",
                line={"color": colour, "width": 2},
                marker={"color": colour},
                # A faint fill so overlapping outlines stay readable.
                fill="toself",
                fillcolor=_faint(colour),
                hovertemplate=label + "<br>%{theta}: %{r:.1f}<extra></extra>",
            )
        )
    apply_layout(fig, title=title, height=480)
    fig.update_layout(
        # Below the circle: above it the legend would sit on the top label.
        legend={"yanchor": "top", "y": -0.06},
        # Plotly keeps no margin for the labels round a circle; these fit a
        # 16-character line at 3 and at 9 o'clock.
        margin={"l": 130, "r": 130},
        polar={
            "radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]},
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
    )
    return fig


def _faint(hex_colour: str, alpha: float = 0.12) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"
