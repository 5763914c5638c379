"""The five strategy steps as one bar, a segment per step."""

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    GREEN,
    GRID,
    VERMILLION,
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
)

STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "blocked": "Blocked",
}
STATUS_COLOURS = {
    "not_started": GRID,
    "in_progress": BLUE,
    "done": GREEN,
    "blocked": VERMILLION,
}
# White text on the darker segments, dark text on the pale "not started" one.
STATUS_TEXT = {"not_started": "#1F2933"}


def step_progress(df: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """A horizontal bar cut into equal segments, one per step in `order`, each
    coloured by status and labelled with its number, name and status (so the
    colour is never the only cue).

    `df` has `order`, `name` (or `step`) and `status` ("not_started" |
    "in_progress" | "done" | "blocked"). The default title counts the steps
    done. Returns one Bar trace: x is 1 per step, base 0, 1, 2, ...
    """
    if is_empty(df):
        return empty_figure("no strategy steps", title=title or "Strategy progress")
    name_column = "name" if "name" in df.columns else "step"
    require_columns(df, ["order", name_column, "status"], chart="step_progress")
    unknown = sorted(set(df["status"].astype(str)) - set(STATUS_LABELS))
    if unknown:
        raise ValueError(f"step_progress: unknown status(es) {unknown}")
    data = df.sort_values("order", kind="stable")
    statuses = data["status"].astype(str).tolist()
    names = [plain_text(n) for n in data[name_column]]
    orders = data["order"].tolist()
    done = statuses.count("done")
    if title is None:
        title = f"Strategy progress: {done} of {len(statuses)} steps done"
    fig = go.Figure(
        go.Bar(
            name="Steps",
            y=["Strategy"] * len(statuses),
            x=[1] * len(statuses),
            base=list(range(len(statuses))),
            orientation="h",
            marker={
                "color": [STATUS_COLOURS[s] for s in statuses],
                "line": {"color": "white", "width": 3},
            },
            text=[
                f"{o}. {n}<br>{STATUS_LABELS[s]}"
                for o, n, s in zip(orders, names, statuses, strict=True)
            ],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": [STATUS_TEXT.get(s, "white") for s in statuses]},
            hovertemplate="%{text}<extra></extra>",
            width=0.8,
        )
    )
    apply_layout(fig, title=title, height=180, legend=False)
    fig.update_xaxes(visible=False, range=[0, len(statuses)])
    fig.update_yaxes(visible=False)
    return fig
