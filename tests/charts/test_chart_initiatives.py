"""The initiative charts: bubbles, cash, NPV ranges and histograms, funding."""

import math

import numpy as np
import pandas as pd
import pytest

from charts import (
    cumulative_cash,
    funding_waterfall,
    initiatives_bubble,
    npv_histogram,
    npv_ranges,
)
from tests.charts.chart_helpers import _traces


def test_initiatives_bubble_scales_the_largest_bubble_to_forty_pixels():
    df = pd.DataFrame(
        {
            "title": ["Self-service", "Callback"],
            "cost": [20_000, 50_000],
            "npv": [15_000, -4_000],
            "customers": [300, 1200],
        }
    )
    fig = initiatives_bubble(df)
    (bubbles,) = fig.data
    assert bubbles.type == "scatter"
    assert list(bubbles.x) == [20_000, 50_000]
    assert list(bubbles.y) == [15_000, -4_000]
    marker = bubbles.marker
    assert marker.sizemode == "area"
    # In area mode a marker is sqrt(size / sizeref) pixels across.
    widths = [math.sqrt(s / marker.sizeref) for s in marker.size]
    assert widths == pytest.approx([20, 40])
    assert marker.color[0] != marker.color[1]
    assert "$20k" in bubbles.hovertext[0] and "$15k" in bubbles.hovertext[0]
    assert "1,200" in bubbles.hovertext[1]
    (zero_line,) = fig.layout.shapes
    assert (zero_line.y0, zero_line.y1) == (0, 0)


def test_cumulative_cash_marks_payback_where_the_cumulative_line_crosses_zero():
    net = [-10_000, 4_000, 8_000, 8_000]
    cumulative = list(np.cumsum(net))
    df = pd.DataFrame({"t": [0, 1, 2, 3], "net": net, "cumulative": cumulative})
    # DESIGN.md: 12 x (k - 1 + remaining / net[k]) with k = 2, remaining 6000.
    payback_months = 12 * (1 + 6_000 / 8_000)
    fig = cumulative_cash(df, payback_months=payback_months)
    assert _traces(fig) == [
        ("bar", "Net cash flow"),
        ("scatter", "Cumulative"),
        ("scatter", "Payback"),
    ]
    assert list(fig.data[0].y) == net
    assert list(fig.data[1].y) == cumulative
    payback = fig.data[2]
    assert payback.x[0] == pytest.approx(1.75)
    assert np.interp(payback.x[0], [0, 1, 2, 3], cumulative) == pytest.approx(0)
    assert [a.text for a in fig.layout.annotations] == ["Payback: 21.0 months"]


def test_cumulative_cash_without_payback_marks_nothing():
    df = pd.DataFrame({"t": [0, 1], "net": [-5, 1], "cumulative": [-5, -4]})
    fig = cumulative_cash(df)
    assert [t.name for t in fig.data] == ["Net cash flow", "Cumulative"]
    assert len(fig.layout.annotations) == 0


def test_npv_ranges_float_a_bar_from_p10_to_p90_with_labelled_marks():
    df = pd.DataFrame(
        {"title": ["A", "B"], "p10": [-100, 50], "p50": [20, 80], "p90": [150, 90]}
    )
    fig = npv_ranges(df)
    assert _traces(fig) == [
        ("bar", "P10 to P90"),
        ("scatter", "P10 (downside)"),
        ("scatter", "P50"),
        ("scatter", "P90"),
    ]
    bar = fig.data[0]
    assert list(bar.base) == [-100, 50]
    assert list(bar.x) == [250, 40]
    assert list(fig.data[1].x) == [-100, 50]
    assert list(fig.data[2].x) == [20, 80]
    assert list(fig.data[3].y) == ["A", "B"]
    assert fig.layout.yaxis.autorange == "reversed"


def test_funding_waterfall_adds_sources_subtracts_needs_and_shows_the_gap():
    df = pd.DataFrame(
        {
            "label": ["Budget", "Grant", "Available", "Chatbot", "Training"],
            "amount": [100_000, 20_000, None, 90_000, -45_000],
            "kind": ["source", "source", "total", "need", "need"],
        }
    )
    fig = funding_waterfall(df)
    (fall,) = fig.data
    assert fall.type == "waterfall"
    assert list(fall.x) == [
        "Budget",
        "Grant",
        "Available",
        "Chatbot",
        "Training",
        "Short of needs",
    ]
    assert list(fall.measure) == ["relative"] * 2 + ["total"] + ["relative"] * 2 + [
        "total"
    ]
    assert list(fall.y) == [100_000, 20_000, 120_000, -90_000, -45_000, -15_000]
    assert fall.text[-1] == "-$15k"


def test_funding_waterfall_calls_a_positive_balance_what_is_left():
    df = pd.DataFrame(
        {"label": ["Budget", "Pilot"], "amount": [10, 4], "kind": ["source", "need"]}
    )
    fall = funding_waterfall(df).data[0]
    assert fall.x[-1] == "Left after needs"
    assert fall.y[-1] == 6


def test_npv_histogram_bins_every_finite_draw_and_labels_the_percentiles():
    rng = np.random.default_rng(7)
    draws = list(rng.normal(10_000, 3_000, size=500)) + [float("nan")]
    p10, p50, p90 = np.percentile(draws[:-1], [10, 50, 90])
    fig = npv_histogram(draws, p10=p10, p50=p50, p90=p90, bins=25)
    (bars,) = fig.data
    assert bars.type == "bar" and len(bars.x) == 25
    assert sum(bars.y) == 500
    assert min(bars.x) > min(draws[:-1]) and max(bars.x) < max(draws[:-1])
    assert [s.x0 for s in fig.layout.shapes] == pytest.approx([p10, p50, p90])
    assert [a.text for a in fig.layout.annotations] == ["P10 (downside)", "P50", "P90"]
