"""The spread of simulated NPVs, with the P10, P50 and P90 marked."""

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.layout import (
    BLUE,
    INK,
    SKY,
    VERMILLION,
    apply_layout,
    empty_figure,
    money_axis,
)

P10_LABEL = "P10 (downside)"


def npv_histogram(
    samples: Sequence[float],
    *,
    p10: float,
    p50: float,
    p90: float,
    bins: int = 40,
    currency: str = "$",
    title: str = "Simulated NPV (Monte Carlo)",
) -> go.Figure:
    """A histogram of Monte Carlo NPV draws with dashed vertical lines at P10
    (labelled "P10 (downside)"), P50 and P90.

    The draws are binned here with numpy (`bins` equal bins over their range,
    non-finite draws dropped) and drawn as one Bar trace "Simulations" of counts
    at the bin centres, so 10 000 draws do not travel to every page and slide.
    The three lines are layout shapes, each with an annotation.
    """
    values = np.asarray(samples, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return empty_figure("no Monte Carlo simulation has run", title=title)
    counts, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure(
        go.Bar(
            name="Simulations",
            x=centres.tolist(),
            y=counts.tolist(),
            width=float(edges[1] - edges[0]),
            marker={"color": SKY, "line": {"color": "white", "width": 0.5}},
            customdata=np.column_stack([edges[:-1], edges[1:]]).tolist(),
            hovertemplate=(
                currency
                + "%{customdata[0]:,.0f} to "
                + currency
                + "%{customdata[1]:,.0f}: %{y} draws<extra></extra>"
            ),
        )
    )
    for label, x, colour, side in (
        (P10_LABEL, p10, VERMILLION, "top left"),
        ("P50", p50, INK, "top"),
        ("P90", p90, BLUE, "top right"),
    ):
        fig.add_vline(
            x=x,
            line={"color": colour, "width": 2, "dash": "dash"},
            annotation_text=label,
            annotation_position=side,
            annotation_font_color=colour,
        )
    apply_layout(fig, title=title, height=380, legend=False)
    fig.update_layout(bargap=0)
    fig.update_xaxes(title_text="NPV", **money_axis(currency))
    fig.update_yaxes(title_text="Draws")
    return fig
