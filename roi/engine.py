"""The ROI engine (DESIGN.md, "ROI"; Forrester Total Economic Impact conventions).

Pure: numpy, numpy-financial and the standard library only. Flows sit on the grid
t = 0..H, where t = 0 is the implementation column and is not discounted (unlike
Excel's NPV). Money is float here; callers convert from and to Decimal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy_financial as npf

from roi.drivers import (
    COST_KINDS,
    DRIVER_INPUTS,
    Assumptions,
    BenefitDriver,
    CostLine,
    Uncertain,
    cashflow_lines,
    cashflows,
    ramp_factors,
)

__all__ = [
    "COST_KINDS",
    "DRIVER_INPUTS",
    "Assumptions",
    "BenefitDriver",
    "CostLine",
    "Metrics",
    "Uncertain",
    "cashflow_lines",
    "cashflows",
    "discount_factors",
    "evaluate",
    "evaluate_case",
    "metrics",
    "payback_months",
    "ramp_factors",
    "risk_adjust",
    "sign_changes",
    "validate_rate",
]

NEGLIGIBLE = 1e-9
MONEY_FIELDS = ("pv_costs", "pv_benefits", "npv", "peak_funding")
RATIO_FIELDS = ("roi", "irr", "mirr")
MONTH_FIELDS = ("payback_months", "discounted_payback_months")

SIGN_CHANGE_WARNING = (
    "The net cash flow changes sign {count} times, so IRR may have several "
    "solutions; MIRR (financed and reinvested at the discount rate) is given too."
)


@dataclass(frozen=True)
class Metrics:
    """The figures for one set of yearly flows; None where a figure has no meaning.

    ``peak_funding`` is the deepest point of the cumulative undiscounted net flow,
    as a positive amount, and 0 when the cumulative net never goes below zero.
    """

    pv_costs: float
    pv_benefits: float
    npv: float
    roi: float | None
    irr: float | None
    mirr: float | None
    payback_months: float | None
    discounted_payback_months: float | None
    peak_funding: float

    def as_dict(self) -> dict:
        """JSON-ready figures: money to 2 dp, ratios to 6 dp, months to 2 dp."""
        out = {}
        for name, value in asdict(self).items():
            if value is None:
                out[name] = None
            elif name in MONEY_FIELDS or name in MONTH_FIELDS:
                out[name] = _round(value, 2)
            else:
                out[name] = _round(value, 6)
        return out


def _round(value: float, digits: int) -> float:
    # "+ 0.0" turns a rounded -0.0 into 0.0 so the JSON never shows "-0.0".
    return round(float(value), digits) + 0.0


def _flows(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty list of yearly amounts")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers only")
    return array


def validate_rate(rate: float) -> float:
    """The rate as a float; ValueError unless finite and above -1."""
    rate = float(rate)
    if not math.isfinite(rate) or rate <= -1:
        raise ValueError("rate must be a finite number above -1")
    return rate


def sign_changes(values: Sequence[float]) -> int:
    """How many times the sign flips along ``values``, zeros skipped."""
    signs = np.sign(np.asarray(values, dtype=float))
    signs = signs[signs != 0]
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def payback_months(net: Sequence[float]) -> float | None:
    """Months until the cumulative net flow recovers, flows even within a year.

    0 when ``net[0] >= 0`` (nothing to recover, as DESIGN.md states, even if a
    later year dips). Otherwise, for the first year k whose cumulative net is >= 0,
    ``12 * (k - 1 + remaining / net[k])`` with ``remaining = -cumulative[k - 1]``.
    None when the cumulative net stays negative within the horizon.
    """
    net = np.asarray(net, dtype=float)
    if net[0] >= 0:
        return 0.0
    cumulative = np.cumsum(net)
    reached = np.flatnonzero(cumulative >= 0)
    if reached.size == 0:
        return None
    k = int(reached[0])
    remaining = -cumulative[k - 1]
    return float(12.0 * (k - 1 + remaining / net[k]))


def discount_factors(rate: float, size: int) -> np.ndarray:
    """1 / (1 + r)^t for t = 0..size - 1."""
    return (1.0 + rate) ** -np.arange(size, dtype=float)


def metrics(
    costs: Sequence[float], benefits: Sequence[float], rate: float
) -> tuple[Metrics, list[str]]:
    """Metrics for yearly costs and benefits (t = 0..H, same length), plus warnings.

    Costs are positive amounts; net = benefits - costs.
    """
    costs, benefits = _flows(costs, "costs"), _flows(benefits, "benefits")
    if costs.size != benefits.size:
        raise ValueError("costs and benefits must cover the same years")
    rate = validate_rate(rate)
    net = benefits - costs
    warnings = []

    pv_costs = float(npf.npv(rate, costs))
    pv_benefits = float(npf.npv(rate, benefits))
    npv = float(npf.npv(rate, net))
    # ROI means nothing without a positive investment to divide by.
    roi = npv / pv_costs if pv_costs > 0 else None

    # Amounts below a billionth of the largest flow are float dust; left in, they
    # count as sign changes and can break the polynomial root finder.
    dust = NEGLIGIBLE * max(1.0, float(np.abs(net).max()))
    clean = np.where(np.abs(net) < dust, 0.0, net)
    changes = sign_changes(clean)
    irr = _finite_or_none(npf.irr, clean) if changes >= 1 else None
    mirr = None
    if changes > 1:
        warnings.append(SIGN_CHANGE_WARNING.format(count=changes))
        mirr = _finite_or_none(npf.mirr, clean, rate, rate)

    cumulative = np.cumsum(net)
    result = Metrics(
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        npv=npv,
        roi=roi,
        irr=irr,
        mirr=mirr,
        payback_months=payback_months(net),
        discounted_payback_months=payback_months(
            net * discount_factors(rate, net.size)
        ),
        peak_funding=max(0.0, -float(cumulative.min())),
    )
    return result, warnings


def _finite_or_none(function, *args) -> float | None:
    try:
        found = float(function(*args))
    except (np.linalg.LinAlgError, ValueError, ZeroDivisionError):
        return None
    return found if math.isfinite(found) else None


def risk_adjust(
    costs: Sequence[float],
    benefits: Sequence[float],
    *,
    benefit_risk: float,
    cost_risk: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Risk-adjusted (costs, benefits): costs x (1 + cost_risk), benefits x
    (1 - benefit_risk). The factors are the same for every line, so adjusting the
    totals equals adjusting line by line."""
    benefit_risk, cost_risk = float(benefit_risk), float(cost_risk)
    if not 0 <= benefit_risk <= 1:
        raise ValueError("benefit_risk must lie within [0, 1]")
    if not 0 <= cost_risk < math.inf:
        raise ValueError("cost_risk must be 0 or more")
    costs = np.asarray(costs, dtype=float)
    benefits = np.asarray(benefits, dtype=float)
    return costs * (1.0 + cost_risk), benefits * (1.0 - benefit_risk)


def _money_list(values) -> list[float]:
    return [_round(value, 2) for value in values]


def evaluate(
    costs: Sequence[float],
    benefits: Sequence[float],
    *,
    rate: float,
    benefit_risk: float = 0.0,
    cost_risk: float = 0.0,
) -> dict:
    """Everything the ROI page and API show for explicit yearly flows.

    Returns ``{"raw": metrics, "risk_adjusted": metrics, "cashflows": {"t",
    "costs", "benefits", "net", "cumulative", "risk_adjusted_costs",
    "risk_adjusted_benefits", "risk_adjusted_net", "risk_adjusted_cumulative"},
    "warnings": [...]}``, all JSON-ready. Warnings about the risk-adjusted flows
    are prefixed "Risk-adjusted: " unless the raw flows raise the same one.
    """
    costs, benefits = _flows(costs, "costs"), _flows(benefits, "benefits")
    raw, warnings = metrics(costs, benefits, rate)
    adjusted_costs, adjusted_benefits = risk_adjust(
        costs, benefits, benefit_risk=benefit_risk, cost_risk=cost_risk
    )
    adjusted, adjusted_warnings = metrics(adjusted_costs, adjusted_benefits, rate)
    for warning in adjusted_warnings:
        if warning not in warnings:
            warnings.append(f"Risk-adjusted: {warning}")

    net = benefits - costs
    adjusted_net = adjusted_benefits - adjusted_costs
    flows = {
        "t": list(range(costs.size)),
        "costs": _money_list(costs),
        "benefits": _money_list(benefits),
        "net": _money_list(net),
        "cumulative": _money_list(np.cumsum(net)),
        "risk_adjusted_costs": _money_list(adjusted_costs),
        "risk_adjusted_benefits": _money_list(adjusted_benefits),
        "risk_adjusted_net": _money_list(adjusted_net),
        "risk_adjusted_cumulative": _money_list(np.cumsum(adjusted_net)),
    }
    return {
        "raw": raw.as_dict(),
        "risk_adjusted": adjusted.as_dict(),
        "cashflows": flows,
        "warnings": warnings,
    }


def evaluate_case(
    cost_lines: Sequence[CostLine],
    drivers: Sequence[BenefitDriver],
    assumptions: Assumptions,
) -> dict:
    """``evaluate`` on the likely flows of a case built from lines and drivers.

    Same shape as ``evaluate`` plus ``"lines"``: one row per cost line and driver
    (see ``cashflow_lines``) for the cash-flow table.
    """
    costs, benefits = cashflows(cost_lines, drivers, assumptions)
    result = evaluate(
        costs,
        benefits,
        rate=assumptions.rate,
        benefit_risk=assumptions.benefit_risk,
        cost_risk=assumptions.cost_risk,
    )
    lines = cashflow_lines(cost_lines, drivers, assumptions)
    for row in lines:
        row["values"] = _money_list(row["values"])
        row["risk_adjusted"] = _money_list(row["risk_adjusted"])
    result["lines"] = lines
    return result
