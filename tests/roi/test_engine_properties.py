"""Properties of the ROI engine and the Monte Carlo summary, checked with
hypothesis on generated flows."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.engine import metrics, risk_adjust
from roi.montecarlo import simulate_explicit

money = st.floats(min_value=0, max_value=1e6, allow_nan=False)
rates = st.floats(min_value=0, max_value=0.5)


@st.composite
def flows(draw, min_years=2, max_years=6):
    """(costs, benefits) of equal length with non-negative amounts."""
    size = draw(st.integers(min_years, max_years))
    costs = draw(st.lists(money, min_size=size, max_size=size))
    benefits = draw(st.lists(money, min_size=size, max_size=size))
    return costs, benefits


@st.composite
def ranges(draw):
    """A [low, likely, high] list in order."""
    points = sorted(draw(st.lists(money, min_size=3, max_size=3)))
    return points


@given(flows(), rates, st.data())
def test_npv_falls_as_a_cost_rises(case, rate, data):
    costs, benefits = case
    year = data.draw(st.integers(0, len(costs) - 1))
    extra = data.draw(st.floats(min_value=1, max_value=1e5))
    before, _ = metrics(costs, benefits, rate)
    raised = list(costs)
    raised[year] += extra
    after, _ = metrics(raised, benefits, rate)
    assert after.npv < before.npv
    assert before.npv - after.npv == pytest.approx(extra / (1 + rate) ** year)


@given(st.lists(money, min_size=1, max_size=6), rates)
def test_roi_of_zero_costs_is_none(benefits, rate):
    result, _ = metrics([0.0] * len(benefits), benefits, rate)
    assert result.roi is None


@given(flows(), rates)
def test_npv_is_present_benefits_minus_present_costs(case, rate):
    result, _ = metrics(*case, rate)
    assert result.npv == pytest.approx(
        result.pv_benefits - result.pv_costs, abs=1e-6 * max(1.0, result.pv_costs)
    )


@given(flows(), rates)
def test_payback_when_reached_lies_within_the_horizon(case, rate):
    result, _ = metrics(*case, rate)
    horizon = len(case[0]) - 1
    for months in (result.payback_months, result.discounted_payback_months):
        assert months is None or 0 <= months <= 12 * horizon


@given(flows(), rates)
def test_discounting_never_brings_payback_sooner(case, rate):
    result, _ = metrics(*case, rate)
    if result.discounted_payback_months is not None:
        assert result.payback_months is not None
        assert result.payback_months <= result.discounted_payback_months + 1e-9


@given(flows(), rates)
def test_irr_when_given_discounts_the_net_to_zero(case, rate):
    costs, benefits = case
    result, _ = metrics(costs, benefits, rate)
    if result.irr is not None and result.irr > -0.99:
        net = np.asarray(benefits) - np.asarray(costs)
        scale = max(1.0, np.abs(net).sum())
        present = net / (1 + result.irr) ** np.arange(net.size)
        assert abs(present.sum()) <= 1e-6 * scale


@given(flows(), st.floats(0, 1), st.floats(0, 2))
def test_risk_adjustment_never_raises_the_npv(case, benefit_risk, cost_risk):
    raw, _ = metrics(*case, 0.1)
    adjusted, _ = metrics(
        *risk_adjust(*case, benefit_risk=benefit_risk, cost_risk=cost_risk), 0.1
    )
    assert adjusted.npv <= raw.npv + 1e-6 * max(1.0, abs(raw.npv))


def _simulate(costs, benefits, **kwargs):
    kwargs.setdefault("simulations", 300)
    return simulate_explicit(costs, benefits, rate=0.1, **kwargs)


@settings(max_examples=50)
@given(
    st.lists(st.one_of(money, ranges()), min_size=1, max_size=4),
    st.sampled_from(["triangular", "pert"]),
)
def test_percentiles_ascend(benefits, distribution):
    costs = [[0, 100, 1000]] + [0] * (len(benefits) - 1)
    result = _simulate(costs, benefits, distribution=distribution)
    for block in ("raw", "risk_adjusted"):
        summary = result[block]
        assert summary["p10"] <= summary["p50"] <= summary["p90"]
        assert 0 <= summary["p_positive"] <= 1


@settings(max_examples=50)
@given(flows(max_years=4), st.sampled_from(["triangular", "pert"]))
def test_degenerate_ranges_give_the_deterministic_npv(case, distribution):
    costs, benefits = case
    as_ranges = [[value, value, value] for value in benefits]
    result = _simulate(costs, as_ranges, distribution=distribution)
    exact, _ = metrics(costs, benefits, 0.1)
    summary = result["raw"]
    tolerance = 0.011 + 1e-9 * abs(exact.npv)
    for key in ("p10", "p50", "p90", "mean"):
        assert math.isclose(summary[key], exact.npv, abs_tol=tolerance)


@settings(max_examples=30)
@given(
    st.lists(ranges(), min_size=1, max_size=4),
    st.integers(0, 2**32 - 1),
)
def test_same_seed_gives_the_same_summary(benefits, seed):
    costs = [0] * len(benefits)
    assert _simulate(costs, benefits, seed=seed) == _simulate(
        costs, benefits, seed=seed
    )
