"""Monte Carlo NPV from three-point estimates (DESIGN.md, "ROI").

Pure and vectorised: every simulation is a row of a (draws, H + 1) matrix of
yearly flows, and NPV is that matrix times the discount vector; there is no
Python loop over draws. Raw and risk-adjusted NPV come from the same draws, so
their difference is the risk adjustment alone, not sampling noise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from roi.drivers import (
    Assumptions,
    BenefitDriver,
    CostLine,
    Uncertain,
    benefit_flows,
    cost_flows,
    driver_yearly,
)
from roi.engine import discount_factors, risk_adjust, validate_rate

DISTRIBUTIONS = ("triangular", "pert")
DEFAULT_SIMULATIONS = 10_000
# A bound for the API: 100 000 draws of a 10-year case is about 9 MB per matrix.
MAX_SIMULATIONS = 100_000


def _check_options(distribution: str, simulations: int) -> None:
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}")
    if isinstance(simulations, bool) or not isinstance(simulations, int):
        raise ValueError("simulations must be a whole number")
    if not 1 <= simulations <= MAX_SIMULATIONS:
        raise ValueError(f"simulations must lie within [1, {MAX_SIMULATIONS}]")


def sample(
    estimate,
    n: int,
    rng: np.random.Generator,
    distribution: str = "triangular",
) -> np.ndarray:
    """``n`` draws from a three-point estimate.

    ``estimate`` is an Uncertain or a ``(low, likely, high)`` triple whose parts
    are numbers or equally shaped arrays (one independent range per element).
    Returns shape ``(n,)`` or ``(n, *shape)``. A degenerate range (low == high)
    always gives its value. Triangular draws use the inverse CDF; PERT draws are
    Beta(1 + 4(m - a)/(b - a), 1 + 4(b - m)/(b - a)) scaled onto [a, b].
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}")
    if isinstance(estimate, Uncertain):
        estimate = (estimate.low, estimate.likely, estimate.high)
    low, likely, high = np.broadcast_arrays(
        *(np.asarray(part, dtype=float) for part in estimate)
    )
    if not (np.all(low <= likely) and np.all(likely <= high)):
        raise ValueError("expected low <= likely <= high")
    shape = (n, *low.shape)
    width = high - low
    if not np.any(width > 0):
        return np.broadcast_to(likely, shape).copy()
    # Degenerate elements get a unit width in the arithmetic, then zero scale.
    spread = np.where(width > 0, width, 1.0)
    if distribution == "pert":
        alpha = 1.0 + 4.0 * (likely - low) / spread
        beta = 1.0 + 4.0 * (high - likely) / spread
        unit = rng.beta(alpha, beta, size=shape)
    else:
        mode = (likely - low) / spread
        u = rng.random(shape)
        unit = np.where(
            u < mode,
            np.sqrt(u * mode),
            1.0 - np.sqrt((1.0 - u) * (1.0 - mode)),
        )
    return low + unit * width


def summarise(npv_samples) -> dict:
    """``{"p10", "p50", "p90", "mean", "p_positive"}`` of NPV draws.

    Percentiles ascend, so P10 is the downside. Money is rounded to 2 dp and
    ``p_positive`` (the share of draws with NPV > 0) to 4 dp.
    """
    draws = np.asarray(npv_samples, dtype=float)
    if draws.size == 0:
        raise ValueError("no samples to summarise")
    p10, p50, p90 = np.percentile(draws, [10, 50, 90])
    return {
        "p10": round(float(p10), 2) + 0.0,
        "p50": round(float(p50), 2) + 0.0,
        "p90": round(float(p90), 2) + 0.0,
        "mean": round(float(draws.mean()), 2) + 0.0,
        "p_positive": round(float(np.mean(draws > 0)), 4),
    }


def histogram(npv_samples, *, bins: int = 30) -> dict:
    """``{"edges": [...], "counts": [...]}`` of NPV draws, ready for a bar chart."""
    counts, edges = np.histogram(np.asarray(npv_samples, dtype=float), bins=bins)
    return {
        "edges": [round(float(edge), 2) for edge in edges],
        "counts": [int(count) for count in counts],
    }


def flow_ranges(values: Sequence, name: str) -> tuple[np.ndarray, ...]:
    """``(low, likely, high)`` arrays from yearly elements that are each a number
    or a ``[low, likely, high]`` range (the explicit API form)."""
    if isinstance(values, str) or not isinstance(values, Sequence) or not values:
        raise ValueError(f"{name} must be a non-empty list of yearly amounts")
    points = []
    for t, value in enumerate(values):
        try:
            estimate = Uncertain.coerce(value)
        except ValueError as error:
            raise ValueError(f"{name}[{t}]: {error}") from None
        points.append((estimate.low, estimate.likely, estimate.high))
    low, likely, high = (np.asarray(column) for column in zip(*points, strict=True))
    return low, likely, high


def _npv_summaries(costs, benefits, *, rate, benefit_risk, cost_risk, keep_samples):
    factors = discount_factors(validate_rate(rate), costs.shape[1])
    raw = (benefits - costs) @ factors
    adjusted_costs, adjusted_benefits = risk_adjust(
        costs, benefits, benefit_risk=benefit_risk, cost_risk=cost_risk
    )
    adjusted = (adjusted_benefits - adjusted_costs) @ factors
    result = {"raw": summarise(raw), "risk_adjusted": summarise(adjusted)}
    if keep_samples:
        result["samples"] = {"raw": raw, "risk_adjusted": adjusted}
    return result


def simulate_explicit(
    costs: Sequence,
    benefits: Sequence,
    *,
    rate: float,
    benefit_risk: float = 0.0,
    cost_risk: float = 0.0,
    distribution: str = "triangular",
    simulations: int = DEFAULT_SIMULATIONS,
    seed: int = 0,
    keep_samples: bool = False,
) -> dict:
    """NPV percentiles for explicit yearly flows whose elements may be ranges.

    Each range element is drawn independently. Returns ``{"raw": summary,
    "risk_adjusted": summary}`` (see ``summarise``), plus ``"samples"`` (NPV
    arrays per block) when ``keep_samples``.
    """
    _check_options(distribution, simulations)
    cost_range = flow_ranges(costs, "costs")
    benefit_range = flow_ranges(benefits, "benefits")
    if cost_range[0].size != benefit_range[0].size:
        raise ValueError("costs and benefits must cover the same years")
    rng = np.random.default_rng(seed)
    cost_draws = sample(cost_range, simulations, rng, distribution)
    benefit_draws = sample(benefit_range, simulations, rng, distribution)
    return _npv_summaries(
        cost_draws,
        benefit_draws,
        rate=rate,
        benefit_risk=benefit_risk,
        cost_risk=cost_risk,
        keep_samples=keep_samples,
    )


def case_draws(
    cost_lines: Sequence[CostLine],
    drivers: Sequence[BenefitDriver],
    assumptions: Assumptions,
    *,
    n: int,
    rng: np.random.Generator,
    distribution: str = "triangular",
) -> tuple[np.ndarray, np.ndarray]:
    """(costs, benefits) matrices of shape (n, H + 1), one simulated case per row.

    A cost line's amount and each driver input are drawn once per simulation and
    used in every year they touch, so a good year-1 guess is a good year-3 guess.
    """
    size = assumptions.horizon + 1
    ramp = assumptions.ramp_factors()
    costs, benefits = np.zeros((n, size)), np.zeros((n, size))
    for line in cost_lines:
        amount = sample(line.amount, n, rng, distribution)
        costs += cost_flows(line.kind, amount, assumptions.horizon)
    for driver in drivers:
        values = {
            name: sample(estimate, n, rng, distribution)
            for name, estimate in driver.inputs.items()
        }
        yearly = driver_yearly(driver.kind, values, assumptions)
        benefits += benefit_flows(yearly, ramp)
    return costs, benefits


def simulate_case(
    cost_lines: Sequence[CostLine],
    drivers: Sequence[BenefitDriver],
    assumptions: Assumptions,
    *,
    distribution: str = "triangular",
    simulations: int = DEFAULT_SIMULATIONS,
    seed: int = 0,
    keep_samples: bool = False,
) -> dict:
    """NPV percentiles of a case built from cost lines and benefit drivers.

    Returns ``{"raw": summary, "risk_adjusted": summary}`` and, when
    ``keep_samples``, ``"samples": {"raw": array, "risk_adjusted": array}`` of the
    NPV draws (feed one to ``histogram`` for a chart).
    """
    _check_options(distribution, simulations)
    rng = np.random.default_rng(seed)
    costs, benefits = case_draws(
        cost_lines,
        drivers,
        assumptions,
        n=simulations,
        rng=rng,
        distribution=distribution,
    )
    return _npv_summaries(
        costs,
        benefits,
        rate=assumptions.rate,
        benefit_risk=assumptions.benefit_risk,
        cost_risk=assumptions.cost_risk,
        keep_samples=keep_samples,
    )
