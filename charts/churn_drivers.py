"""What drives churn: each theme's odds or hazard ratio with its 95% interval."""

import pandas as pd
import plotly.graph_objects as go

from charts.drivers import impact_points


def churn_drivers(
    df: pd.DataFrame, *, title: str = "What drives churn", ratio: str = "odds ratio"
) -> go.Figure:
    """Churn drivers on a log axis, 1 (no effect) dashed, the largest ratio on
    top. `df` has `name`, `impact` (the ratio), `low`, `high` and optional
    `significant`; `ratio` names it ("odds ratio" or "hazard ratio")."""
    return impact_points(
        df,
        title=title,
        axis=f"Churn {ratio} (log scale), 95% interval",
        null=1.0,
        log=True,
        harm_up=True,
    )
