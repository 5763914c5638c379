"""The driver charts: points with 95% error bars, the most harmful on top."""

import pandas as pd

from charts import churn_drivers, drivers
from charts.layout import GREY

FRAME = pd.DataFrame(
    {
        "name": ["Billing", "Login", "Colour"],
        "impact": [-0.5, -2.0, 0.01],
        "low": [-0.7, -2.3, -0.1],
        "high": [-0.3, -1.7, 0.12],
        "significant": [True, True, False],
    }
)


def test_score_drivers_put_the_largest_harm_on_top_with_intervals():
    (trace,) = drivers(FRAME).data
    # plotly draws the first y at the bottom: the most harmful comes last.
    assert list(trace.y) == ["Colour (no clear effect)", "Billing", "Login"]
    assert list(trace.error_x.arrayminus) == [0.11, 0.2, 0.3]
    assert trace.marker.color[0] == GREY


def test_churn_drivers_use_a_log_axis_around_one():
    frame = FRAME.assign(
        impact=[2.0, 4.0, 1.0], low=[1.5, 3.0, 0.8], high=[2.6, 5.0, 1.2]
    )
    fig = churn_drivers(frame, ratio="hazard ratio")
    assert fig.layout.xaxis.type == "log"
    assert "hazard ratio" in fig.layout.xaxis.title.text
    assert list(fig.data[0].y)[-1] == "Login"
    assert fig.layout.shapes[0].x0 == 1.0
