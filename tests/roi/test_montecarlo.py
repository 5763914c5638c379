"""Monte Carlo NPV: sampling, summaries, explicit ranges and driver cases."""

import numpy as np
import pytest

from roi.engine import Assumptions, BenefitDriver, CostLine, Uncertain, evaluate
from roi.montecarlo import (
    case_draws,
    histogram,
    sample,
    simulate_case,
    simulate_explicit,
    summarise,
)


def rng(seed=7):
    return np.random.default_rng(seed)


def test_triangular_draws_stay_in_range_and_average_the_three_points():
    # Mean of a triangular distribution: (1 + 2 + 6) / 3 = 3.
    draws = sample(Uncertain(1, 2, 6), 100_000, rng())
    assert draws.min() >= 1 and draws.max() <= 6
    assert draws.mean() == pytest.approx(3.0, abs=0.02)


def test_triangular_draws_peak_at_the_likely_value():
    # The density at the mode is 2 / (b - a); P(X <= m) = (m - a) / (b - a) = 0.2.
    draws = sample(Uncertain(1, 2, 6), 100_000, rng())
    assert np.mean(draws <= 2) == pytest.approx(0.2, abs=0.01)


def test_pert_draws_weight_the_likely_value_four_times():
    # PERT mean: (1 + 4 x 2 + 6) / 6 = 2.5.
    draws = sample(Uncertain(1, 2, 6), 100_000, rng(), distribution="pert")
    assert draws.min() >= 1 and draws.max() <= 6
    assert draws.mean() == pytest.approx(2.5, abs=0.02)


@pytest.mark.parametrize("distribution", ["triangular", "pert"])
def test_a_degenerate_range_is_a_constant(distribution):
    draws = sample(Uncertain.fixed(42.0), 1000, rng(), distribution=distribution)
    assert np.all(draws == 42.0)


def test_array_ranges_give_one_column_per_element_with_fixed_ones_constant():
    draws = sample(([0, 5, 10], [1, 5, 20], [2, 5, 30]), 500, rng())
    assert draws.shape == (500, 3)
    assert np.all(draws[:, 1] == 5)
    assert draws[:, 0].max() <= 2 and draws[:, 2].min() >= 10


def test_a_range_out_of_order_cannot_be_sampled():
    with pytest.raises(ValueError):
        sample((3, 2, 1), 10, rng())


def test_summarise_reads_ascending_percentiles():
    # 0..100: the 10th, 50th and 90th percentiles are 10, 50 and 90; 100 of the
    # 101 values are above zero.
    summary = summarise(np.arange(101.0))
    assert summary == {
        "p10": 10.0,
        "p50": 50.0,
        "p90": 90.0,
        "mean": 50.0,
        "p_positive": round(100 / 101, 4),
    }


def test_histogram_counts_every_draw():
    chart = histogram(rng().normal(size=1234), bins=20)
    assert sum(chart["counts"]) == 1234
    assert len(chart["edges"]) == 21


def test_explicit_fixed_flows_reproduce_the_deterministic_npv():
    costs, benefits = [10000, 5000, 5000, 5000], [0, 15000, 15000, 15000]
    result = simulate_explicit(
        costs, benefits, rate=0.1, benefit_risk=0.15, cost_risk=0.1, simulations=200
    )
    exact = evaluate(costs, benefits, rate=0.1, benefit_risk=0.15, cost_risk=0.1)
    for block in ("raw", "risk_adjusted"):
        npv = exact[block]["npv"]
        summary = result[block]
        assert summary["p10"] == summary["p50"] == summary["p90"] == npv
        assert summary["p_positive"] == 1.0


def test_explicit_ranges_average_to_the_npv_of_the_means():
    # Triangular means: costs 1100 at t = 0, benefits 700 at t = 1, so the mean
    # NPV is -1100 + 700 / 1.1 = -463.64 (NPV is linear in the flows).
    result = simulate_explicit(
        [[900, 1000, 1400], 0], [0, [500, 600, 1000]], rate=0.1, seed=3
    )
    assert result["raw"]["mean"] == pytest.approx(-463.64, abs=5)
    assert result["raw"]["p10"] < result["raw"]["p50"] < result["raw"]["p90"]


def test_explicit_elements_are_drawn_independently():
    # Two identical ranges drawn independently are uncorrelated.
    result = simulate_explicit(
        [0, 0], [[0, 50, 100], [0, 50, 100]], rate=0.0, keep_samples=True
    )
    samples = result["samples"]["raw"]
    # Sum of two independent triangulars: variance 2 x 416.67; fully tied
    # draws would double the standard deviation instead (4 x 416.67).
    assert samples.var() == pytest.approx(2 * 416.67, rel=0.05)


def test_risk_adjusted_npv_is_lower_for_the_same_draws():
    result = simulate_explicit(
        [[900, 1000, 1400], 0],
        [0, [500, 1600, 2000]],
        rate=0.1,
        benefit_risk=0.2,
        cost_risk=0.1,
        keep_samples=True,
    )
    samples = result["samples"]
    assert np.all(samples["risk_adjusted"] < samples["raw"])


def test_same_seed_gives_the_same_result_and_another_seed_differs():
    def run(seed):
        return simulate_explicit(
            [[900, 1000, 1400]], [[500, 1000, 3000]], rate=0.1, seed=seed
        )

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_unknown_distribution_is_refused():
    with pytest.raises(ValueError, match="distribution"):
        simulate_explicit([1], [2], rate=0.1, distribution="normal")


COSTS = [
    CostLine("one_time", Uncertain(40000, 50000, 80000)),
    CostLine("recurring", Uncertain(5000, 6000, 9000)),
]
DRIVERS = [
    BenefitDriver(
        "churn_avoided",
        {
            "customers_affected": Uncertain(800, 1000, 1200),
            "churn_reduction_pp": Uncertain(1, 2, 4),
            "revenue_per_customer": Uncertain(1500, 2000, 2500),
        },
    ),
    BenefitDriver(
        "contacts_avoided",
        {
            "contacts_per_year": Uncertain(20000, 30000, 35000),
            "share_avoided": Uncertain(0.1, 0.2, 0.3),
        },
    ),
]


def test_driver_inputs_are_drawn_once_per_simulation():
    # Benefits of one simulation follow the ramp exactly (25%, 75%, 100%), so
    # year 2 is three times year 1 in every row; fresh draws each year would not.
    _, benefits = case_draws([], DRIVERS, Assumptions(), n=1000, rng=rng())
    assert benefits[:, 2] == pytest.approx(3 * benefits[:, 1])
    assert benefits[:, 3] == pytest.approx(4 * benefits[:, 1])
    assert benefits[:, 1].std() > 0


def test_a_recurring_cost_is_drawn_once_per_simulation():
    costs, _ = case_draws(COSTS[1:], [], Assumptions(), n=1000, rng=rng())
    assert np.all(costs[:, 1] == costs[:, 3])
    assert np.all(costs[:, 0] == 0)


def test_a_case_of_fixed_figures_gives_its_deterministic_npv():
    costs = [CostLine("one_time", Uncertain.fixed(30000))]
    drivers = [BenefitDriver("custom", {"amount_per_year": 20000})]
    result = simulate_case(costs, drivers, Assumptions(), simulations=100)
    # Benefits 5000, 15000, 20000: -30000 + 4545.45 + 12396.69 + 15026.30.
    assert result["raw"]["p50"] == pytest.approx(1968.44, abs=0.01)
    assert result["raw"]["p10"] == result["raw"]["p90"] == result["raw"]["p50"]


def test_a_case_can_return_its_npv_draws_for_a_chart():
    result = simulate_case(
        COSTS, DRIVERS, Assumptions(), simulations=2000, keep_samples=True
    )
    assert result["samples"]["raw"].shape == (2000,)
    assert result["samples"]["raw"].mean() == pytest.approx(result["raw"]["mean"])
