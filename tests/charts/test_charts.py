"""The chart functions shared by pages and the deck: what each figure holds."""

import html
import json
import math
import re
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import charts
from charts import (
    CHARTS,
    competency_radar,
    cumulative_cash,
    funding_waterfall,
    initiatives_bubble,
    metric_trend,
    metrics_vs_target,
    npv_histogram,
    npv_ranges,
    revenue_at_risk,
    sparkline,
    step_progress,
    theme_trend,
    top_themes,
)
from charts.layout import (
    PLOTLY_CONFIG,
    chromium_path,
    figure_to_png,
    format_money,
    to_html,
)

CHROMIUM = Path("/usr/bin/chromium")


def _traces(fig: go.Figure) -> list[tuple[str, str]]:
    return [(trace.type, trace.name) for trace in fig.data]


def _empty_input(name: str):
    """Call chart `name` with nothing to draw."""
    if name == "npv_histogram":
        return npv_histogram([], p10=0.0, p50=0.0, p90=0.0)
    if name == "sparkline":
        return sparkline([])
    return CHARTS[name](pd.DataFrame())


# -- shared behaviour --------------------------------------------------------


def test_the_index_names_every_chart_module_after_its_function():
    folder = Path(charts.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "layout"}
    assert set(CHARTS) == modules
    for name, function in CHARTS.items():
        assert function.__name__ == name


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_says_plainly_when_it_has_no_data(name):
    fig = _empty_input(name)
    assert len(fig.data) == 0
    (note,) = fig.layout.annotations
    assert note.text.startswith("No data yet: ")
    assert len(note.text) > len("No data yet: ")
    assert (note.x, note.y, note.xref, note.yref) == (0.5, 0.5, "paper", "paper")
    assert note.showarrow is False


def test_charts_name_the_columns_they_lack():
    with pytest.raises(ValueError, match="revenue_at_risk"):
        revenue_at_risk(pd.DataFrame({"theme": ["Billing"]}))


def test_money_labels_are_short_and_signed():
    assert format_money(950) == "$950"
    assert format_money(12_345) == "$12.3k"
    assert format_money(5_000) == "$5k"
    assert format_money(-1_234_567) == "-$1.2M"
    assert format_money(999_960) == "$1M"
    assert format_money(2_500_000_000, currency="€") == "€2.5B"
    assert format_money(None) == "n/a"


# -- to_html -----------------------------------------------------------------


def _figure_from_div(fragment: str) -> dict:
    match = re.search(r'data-plotly="([^"]*)"', fragment)
    assert match, fragment[:200]
    return json.loads(html.unescape(match.group(1)))


def test_to_html_gives_a_script_free_div_carrying_figure_and_config():
    fig = revenue_at_risk(
        pd.DataFrame({"theme": ["Billing", "Login"], "revenue_at_risk": [10, 30]})
    )
    fragment = to_html(fig, div_id="risk")
    assert fragment.startswith('<div id="risk"')
    assert fragment.endswith("</div>")
    assert "<script" not in fragment
    spec = _figure_from_div(fragment)
    assert spec["config"] == {"displaylogo": False, "responsive": True}
    assert spec["data"][0]["y"] == ["Login", "Billing"]
    assert spec["layout"]["title"]["text"] == "Revenue at risk by theme"


def test_to_html_escapes_titles_into_the_aria_label():
    fig = go.Figure(layout={"title": {"text": 'Risk "now" & <later>'}})
    fragment = to_html(fig)
    assert 'aria-label="Risk &quot;now&quot; &amp; &lt;later&gt;"' in fragment
    assert re.match(r'<div id="chart-[0-9a-f]{12}"', fragment)


def test_to_html_with_plotlyjs_inlines_it_and_never_loads_a_cdn():
    fig = sparkline([1, 2, 3])
    fragment = to_html(fig, include_plotlyjs=True, div_id="spark")
    scripts = re.findall(r"<script[^>]*>", fragment)
    assert scripts, "plotly.js should be inlined"
    assert not any("src=" in tag for tag in scripts)
    assert "cdn.plot.ly" not in fragment.split('<div id="spark"')[1]
    assert _figure_from_div(fragment)["config"] == PLOTLY_CONFIG
    # The bundle is the real library, not a stub.
    assert len(fragment) > 1_000_000


# -- one test per chart ------------------------------------------------------


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
        "Funding gap",
    ]
    assert list(fall.measure) == ["relative"] * 2 + ["total"] + ["relative"] * 2 + [
        "total"
    ]
    assert list(fall.y) == [100_000, 20_000, 120_000, -90_000, -45_000, -15_000]
    assert fall.text[-1] == "-$15k"


def test_funding_waterfall_calls_a_positive_balance_a_surplus():
    df = pd.DataFrame(
        {"label": ["Budget", "Pilot"], "amount": [10, 4], "kind": ["source", "need"]}
    )
    fall = funding_waterfall(df).data[0]
    assert fall.x[-1] == "Surplus"
    assert fall.y[-1] == 6


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


def test_sparkline_is_a_bare_line_with_only_the_last_point_marked():
    fig = sparkline([3, 5, None, 4])
    (line,) = fig.data
    assert list(line.x) == [0, 1, 2, 3]
    assert list(line.y) == [3, 5, None, 4]
    assert list(line.marker.size) == [0, 0, 0, 6]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.showlegend is False
    assert fig.layout.height == 48


# -- PNG export --------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="/usr/bin/chromium is absent, so kaleido cannot render a PNG here",
)
def test_a_chart_renders_to_a_png_of_the_requested_size():
    df = pd.DataFrame({"t": [0, 1, 2], "net": [-5, 3, 4], "cumulative": [-5, -2, 2]})
    png = figure_to_png(cumulative_cash(df, payback_months=18), 640, 360, scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1280, 720)


def test_the_chromium_argument_wins_over_the_environment(tmp_path, monkeypatch):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    mine.write_text("")
    theirs.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(theirs))
    assert chromium_path(str(mine)) == str(mine)
    assert chromium_path(str(tmp_path / "absent")) == str(theirs)
