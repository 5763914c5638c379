"""Success metrics: how far each has moved from its baseline toward its target."""

import math

import pandas as pd
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    GREEN,
    INK,
    MUTED,
    VERMILLION,
    apply_layout,
    empty_figure,
    is_empty,
    plain_text,
    require_columns,
)


def metrics_vs_target(
    df: pd.DataFrame, *, title: str = "Success metrics against target"
) -> go.Figure:
    """A bullet-like row per metric on a shared progress scale: the baseline sits
    at 0 %, the target at 100 %, and the bar shows where the current value is.

    Metrics have different units (NPS points, CSAT, seconds), so their raw values
    cannot share an axis; progress = (current - baseline) / (target - baseline)
    can, and reads the same for "up" and "down" metrics. When target equals
    baseline, progress is 100 % once the target is met in `direction`, else 0 %.
    `df` has `metric`, `baseline`, `current` (may be empty), `target`,
    `direction` ("up" | "down") and optional `unit`. The bar is green when the
    target is met, blue when moving the right way, vermillion otherwise; its
    label and hover give the raw figures; a metric with no current value says
    "no measurement yet". Returns a Bar trace "Current" (x = progress in %) and
    Scatter traces "Baseline" (x = 0) and "Target" (x = 100), whose customdata
    hold the raw values.
    """
    if is_empty(df):
        return empty_figure("no success metrics", title=title)
    require_columns(
        df,
        ["metric", "baseline", "current", "target", "direction"],
        chart="metrics_vs_target",
    )
    metrics = [plain_text(m) for m in df["metric"]]
    baseline, current, target = (
        [_number(v) for v in df[c]] for c in ("baseline", "current", "target")
    )
    directions = df["direction"].astype(str).tolist()
    units = (
        ["" if pd.isna(u) else plain_text(u) for u in df["unit"]]
        if "unit" in df.columns
        else [""] * len(metrics)
    )
    progress = [
        _progress(b, c, t, d)
        for b, c, t, d in zip(baseline, current, target, directions, strict=True)
    ]
    # A metric far past either end (a target close to its baseline makes a
    # small move look like -390%) is drawn at the scale's edge; its label and
    # hover keep the real figures.
    drawn = [None if p is None else min(max(p, FLOOR), CEILING) for p in progress]
    colours = [
        VERMILLION if p is None or p <= 0 else GREEN if p >= 100 else BLUE
        for p in progress
    ]
    labels = [
        ""
        if c is None
        else f"{_show(c, u)} (target {_show(t, u)})"
        + ("" if p == d else ", off the scale")
        for c, t, u, p, d in zip(current, target, units, progress, drawn, strict=True)
    ]
    details = [
        f"now {_show(c, u)}, target {_show(t, u)}, baseline {_show(b, u)}"
        for b, c, t, u in zip(baseline, current, target, units, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Current",
            y=metrics,
            x=drawn,
            orientation="h",
            marker_color=colours,
            text=labels,
            # Past the end of a bar, except below the baseline: there the label
            # would run onto the metric names, so it sits right of 0 instead.
            textposition=[
                "none" if d is not None and d < 0 else "outside" for d in drawn
            ],
            cliponaxis=False,
            customdata=[None if p is None else round(p) for p in progress],
            hovertext=details,
            hovertemplate="%{y}: %{hovertext}<br>%{customdata}% of the way"
            "<extra></extra>",
            width=0.5,
        )
    )
    for name, x, raw, colour in (
        ("Baseline", 0, baseline, MUTED),
        ("Target", 100, target, INK),
    ):
        fig.add_trace(
            go.Scatter(
                name=name,
                y=metrics,
                x=[x] * len(metrics),
                mode="markers",
                marker={
                    "symbol": "line-ns-open",
                    "size": 26,
                    "color": colour,
                    "line": {"width": 3, "color": colour},
                },
                customdata=raw,
                hovertemplate="%{y}<br>" + name + ": %{customdata}<extra></extra>",
            )
        )
    for metric, d, label in zip(metrics, drawn, labels, strict=True):
        if d is not None and d < 0:
            fig.add_annotation(
                x=0, y=metric, text=label, xanchor="left", xshift=6, showarrow=False
            )
    for metric, p in zip(metrics, progress, strict=True):
        if p is None:
            fig.add_annotation(
                x=0,
                y=metric,
                text="no measurement yet",
                xanchor="left",
                showarrow=False,
                font={"color": MUTED},
            )
    known = [p for p in drawn if p is not None]
    apply_layout(fig, title=title, height=160 + 56 * len(metrics))
    fig.update_xaxes(
        title_text="Progress from baseline (0%) to target (100%)",
        ticksuffix="%",
        zeroline=False,
        # Headroom on the right for the labels printed past each bar.
        range=[min([0, *known]) - 10, max([100, *known]) * 1.45],
    )
    fig.update_yaxes(categoryorder="array", categoryarray=metrics, autorange="reversed")
    return fig


FLOOR, CEILING = -100.0, 150.0


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _progress(
    baseline: float | None, current: float | None, target: float | None, direction
) -> float | None:
    """Percent of the way from baseline to target, or None when unknown."""
    if baseline is None or current is None or target is None:
        return None
    if target == baseline:
        met = current <= target if direction == "down" else current >= target
        return 100.0 if met else 0.0
    return 100.0 * (current - baseline) / (target - baseline)


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:g}{unit}" if unit in ("", "%") else f"{value:g} {unit}"
