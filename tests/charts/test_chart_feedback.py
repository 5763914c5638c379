"""The feedback charts: top themes, revenue at risk, theme trends, sparklines."""

import pandas as pd
import pytest

from charts import (
    revenue_at_risk,
    sparkline,
    theme_trend,
    top_themes,
)
from tests.charts.chart_helpers import _traces


def test_top_themes_stacks_weight_times_component_with_rank_one_on_top():
    df = pd.DataFrame(
        {
            "theme": ["Billing", "Login"],
            "score": [0.8, 0.4],
            "customers": [1.0, 0.5],
            "revenue_at_risk": [0.6, 1.0],
            "negative_share": [0.5, 0.25],
            "trend": [-0.4, 1.0],
            "votes": [0.0, 1.0],
        }
    )
    weights = {"customers": 0.5, "revenue_at_risk": 0.2}
    fig = top_themes(df, weights=weights)
    assert [t.name for t in fig.data] == [
        "Customers",
        "Revenue at risk",
        "Negative share",
        "Rising trend",
        "Advisor votes",
    ]
    by_name = {t.name: t for t in fig.data}
    assert all(t.type == "bar" and t.orientation == "h" for t in fig.data)
    assert list(by_name["Customers"].x) == pytest.approx([0.5, 0.25])
    assert list(by_name["Revenue at risk"].x) == pytest.approx([0.12, 0.2])
    # Weights not given keep the ranking defaults (0.15, 0.10, 0.05).
    assert list(by_name["Negative share"].x) == pytest.approx([0.075, 0.0375])
    # A falling trend adds nothing, as in the score.
    assert list(by_name["Rising trend"].x) == pytest.approx([0.0, 0.1])
    assert list(by_name["Advisor votes"].x) == pytest.approx([0.0, 0.05])
    assert list(fig.data[0].y) == ["Billing", "Login"]
    assert fig.layout.barmode == "stack"
    assert list(fig.layout.yaxis.categoryarray) == ["Billing", "Login"]
    assert fig.layout.yaxis.autorange == "reversed"


def test_top_themes_refuses_raw_figures_in_place_of_normalised_ones():
    df = pd.DataFrame({"theme": ["Billing"], "customers": [42]})
    with pytest.raises(ValueError, match="customers"):
        top_themes(df)


def test_revenue_at_risk_sorts_largest_first_with_money_labels():
    df = pd.DataFrame(
        {"theme": ["Login", "Billing", "Delivery"], "revenue_at_risk": [500, 1.5e6, 0]}
    )
    fig = revenue_at_risk(df)
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["Billing", "Login", "Delivery"]
    assert list(bar.x) == [1.5e6, 500, 0]
    assert list(bar.text) == ["$1.5M", "$500", "$0"]
    assert fig.layout.yaxis.autorange == "reversed"


def test_theme_trend_draws_a_line_per_theme_in_period_order():
    df = pd.DataFrame(
        {
            "period": pd.to_datetime(
                ["2025-02-01", "2025-01-01", "2025-01-01", "2025-02-01"]
            ),
            "theme": ["Login", "Login", "Billing", "Billing"],
            "mentions": [2, 1, 7, 9],
        }
    )
    fig = theme_trend(df)
    assert _traces(fig) == [("scatter", "Billing"), ("scatter", "Login")]
    login = fig.data[1]
    assert list(login.y) == [1, 2]
    assert [pd.Timestamp(x) for x in login.x] == [
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-02-01"),
    ]


def test_sparkline_is_a_bare_line_with_only_the_last_point_marked():
    fig = sparkline([3, 5, None, 4])
    (line,) = fig.data
    assert list(line.x) == [0, 1, 2, 3]
    assert list(line.y) == [3, 5, None, 4]
    assert list(line.marker.size) == [0, 0, 0, 6]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.showlegend is False
    assert fig.layout.height == 48
