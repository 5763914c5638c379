"""Data frames for the strategy charts and their rendering.

The figures themselves are drawn by the shared chart functions (`charts/`,
one function per chart), so the page and the exported deck show the same
picture; this module only shapes the data they take.
"""

import pandas as pd

from charts import CHARTS, to_html
from strategy.models import StepStatus

ROLE_LABELS = {"cx_lead": "CX leads", "executive": "Executives", "advisor": "Advisors"}


def competency_frame(summary: list[dict]) -> pd.DataFrame:
    """One row per competency and role: `competency`, `role`, `score` (role
    average of each user's latest rating), plus the all-roles average."""
    rows = []
    for c in summary:
        for role, avg in c["role_averages"].items():
            if avg is not None:
                rows.append(
                    {
                        "competency": c["name"],
                        "role": ROLE_LABELS.get(role, role),
                        "score": avg,
                    }
                )
        if c["average"] is not None:
            rows.append(
                {"competency": c["name"], "role": "All roles", "score": c["average"]}
            )
    return pd.DataFrame(rows, columns=["competency", "role", "score"])


def steps_frame(steps) -> pd.DataFrame:
    """One row per step: `order`, `step`, `status`, `done` (bool), `due_date`."""
    return pd.DataFrame(
        [
            {
                "order": s.order,
                "step": s.name,
                "status": s.status,
                "done": s.status == StepStatus.DONE,
                "due_date": s.due_date,
            }
            for s in steps
        ],
        columns=["order", "step", "status", "done", "due_date"],
    )


def metric_frame(metric: dict) -> pd.DataFrame:
    """One metric's series: `period`, `value`, with `metric`, `target`, `baseline`
    repeated on each row (so one frame is enough to draw target lines)."""
    return pd.DataFrame(
        [
            {
                "metric": metric["name"],
                "period": p["period"],
                "value": p["value"],
                "target": metric["target"],
                "baseline": metric["baseline"],
            }
            for p in metric["series"]
        ],
        columns=["metric", "period", "value", "target", "baseline"],
    )


def metrics_target_frame(metrics: list[dict]) -> pd.DataFrame:
    """One row per metric: `metric`, `baseline`, `current`, `target`, `direction`,
    `unit`."""
    return pd.DataFrame(
        [
            {
                "metric": m["name"],
                "baseline": m["baseline"],
                "current": m["current"],
                "target": m["target"],
                "direction": m["direction"],
                "unit": m["unit"],
            }
            for m in metrics
        ],
        columns=["metric", "baseline", "current", "target", "direction", "unit"],
    )


def render(name: str, frame: pd.DataFrame) -> str | None:
    """The chart `name` (a key of `charts.CHARTS`) drawn from `frame` as an HTML
    div, or None when there is nothing to draw."""
    if frame.empty:
        return None
    return to_html(CHARTS[name](frame))
