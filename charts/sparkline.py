"""A word-sized trend line for a ranking card."""

from collections.abc import Sequence

import plotly.graph_objects as go

from charts.layout import BLUE, apply_layout, empty_figure


def sparkline(
    values: Sequence[float], *, height: int = 48, width: int | None = None
) -> go.Figure:
    """A small line with no axes, no legend and no margins, the last point marked.

    `values` are evenly spaced (x = 0, 1, 2, ...); None gaps the line. An empty
    sequence gives the usual "No data yet" note. Returns one Scatter trace.
    """
    points = [None if v is None else float(v) for v in values]
    if not points:
        fig = empty_figure("no trend")
        fig.update_layout(height=height, width=width, margin=_NO_MARGIN)
        fig.update_annotations(font_size=11)
        return fig
    last = len(points) - 1
    fig = go.Figure(
        go.Scatter(
            name="Trend",
            x=list(range(len(points))),
            y=points,
            mode="lines+markers",
            line={"color": BLUE, "width": 2},
            # Only the newest point gets a dot: it is the one the card talks about.
            marker={"size": [0] * last + [6], "color": BLUE},
            hoverinfo="skip",
        )
    )
    apply_layout(fig, legend=False)
    fig.update_layout(height=height, width=width, margin=_NO_MARGIN, title=None)
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True)
    return fig


_NO_MARGIN = {"l": 2, "r": 6, "t": 4, "b": 4, "pad": 0}
