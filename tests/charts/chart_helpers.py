"""Helpers shared by the chart tests."""

import plotly.graph_objects as go


def _traces(fig: go.Figure) -> list[tuple[str, str]]:
    return [(trace.type, trace.name) for trace in fig.data]
