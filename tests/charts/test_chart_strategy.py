"""The strategy charts: step progress, competencies, metrics against targets."""

import pandas as pd
import pytest

from charts import (
    competency_radar,
    metric_trend,
    metrics_vs_target,
    step_progress,
)
from tests.charts.chart_helpers import _traces


def test_step_progress_draws_one_segment_per_step_in_order_coloured_by_status():
    df = pd.DataFrame(
        {
            "order": [3, 1, 2, 5, 4],
            "name": ["Design", "Listen", "Prioritise", "Measure", "Deliver"],
            "status": ["in_progress", "done", "done", "not_started", "blocked"],
        }
    )
    fig = step_progress(df)
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.x) == [1] * 5
    assert list(bar.base) == [0, 1, 2, 3, 4]
    assert [t.split("<br>") for t in bar.text] == [
        ["1. Listen", "Done"],
        ["2. Prioritise", "Done"],
        ["3. Design", "In progress"],
        ["4. Deliver", "Blocked"],
        ["5. Measure", "Not started"],
    ]
    colours = list(bar.marker.color)
    assert colours[0] == colours[1]
    assert len({colours[1], colours[2], colours[3], colours[4]}) == 4
    assert fig.layout.title.text == "Strategy progress: 2 of 5 steps done"


def test_step_progress_accepts_the_strategy_pages_step_column():
    df = pd.DataFrame({"order": [1], "step": ["Listen"], "status": ["done"]})
    assert step_progress(df).data[0].text == ("1. Listen<br>Done",)


def test_competency_radar_closes_one_polygon_per_role_on_a_zero_to_five_scale():
    df = pd.DataFrame(
        {
            "competency": ["Insight", "Design", "Culture"] * 2,
            "role": ["executive"] * 3 + ["cx_lead"] * 3,
            "score": [2, 3, 4, 5, 4, 3],
        }
    )
    fig = competency_radar(df)
    assert _traces(fig) == [
        ("scatterpolar", "CX leads"),
        ("scatterpolar", "Executives"),
    ]
    lead = fig.data[0]
    assert list(lead.theta) == ["Insight", "Design", "Culture", "Insight"]
    assert list(lead.r) == [5, 4, 3, 5]
    assert list(fig.data[1].r) == [2, 3, 4, 2]
    assert list(fig.layout.polar.radialaxis.range) == [0, 5]


def test_metrics_vs_target_puts_baseline_at_zero_and_target_at_one_hundred():
    df = pd.DataFrame(
        {
            "metric": ["NPS", "Handle time", "CSAT"],
            "baseline": [10, 300, 4.0],
            "current": [25, 270, None],
            "target": [30, 240, 4.5],
            "direction": ["up", "down", "up"],
            "unit": ["", "s", ""],
        }
    )
    fig = metrics_vs_target(df)
    assert _traces(fig) == [
        ("bar", "Current"),
        ("scatter", "Baseline"),
        ("scatter", "Target"),
    ]
    current, baseline, target = fig.data
    # NPS moved 15 of 20 points; handle time fell 30 of 60 seconds.
    assert current.x[0] == pytest.approx(75)
    assert current.x[1] == pytest.approx(50)
    assert current.x[2] is None
    assert list(baseline.x) == [0, 0, 0] and list(target.x) == [100, 100, 100]
    assert list(baseline.customdata) == [10, 300, 4.0]
    assert list(target.customdata) == [30, 240, 4.5]
    assert current.text[1] == "270 s (target 240 s)"
    assert [a.text for a in fig.layout.annotations] == ["no measurement yet"]
    assert fig.layout.annotations[0].y == "CSAT"


def test_metrics_vs_target_counts_a_met_target_equal_to_baseline_as_done():
    df = pd.DataFrame(
        {
            "metric": ["Complaints"],
            "baseline": [5],
            "current": [4],
            "target": [5],
            "direction": ["down"],
        }
    )
    assert metrics_vs_target(df).data[0].x[0] == 100


def test_metric_trend_sorts_periods_and_adds_the_target_line():
    df = pd.DataFrame(
        {
            "metric": ["NPS", "NPS", "NPS"],
            "period": pd.to_datetime(["2025-03-01", "2025-01-01", "2025-02-01"]),
            "value": [31, 22, 27],
            "target": [40, 40, 40],
            "baseline": [None, None, None],
        }
    )
    fig = metric_trend(df)
    assert _traces(fig) == [("scatter", "NPS"), ("scatter", "Target")]
    assert list(fig.data[0].y) == [22, 27, 31]
    assert list(fig.data[1].y) == [40, 40, 40]
    assert fig.data[1].line.dash == "dash"
    assert fig.layout.title.text == "NPS"


def test_metric_trend_without_target_draws_only_the_values():
    df = pd.DataFrame({"period": [1, 2], "value": [4.1, 4.3]})
    fig = metric_trend(df)
    assert _traces(fig) == [("scatter", "Value")]
