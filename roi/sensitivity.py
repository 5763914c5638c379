"""Which assumptions move a case's NPV most: a one-at-a-time sensitivity (the
data of a tornado chart).

Pure: no Django. Each uncertain input (a cost line's or a driver input's low and
high estimates) and each shared assumption (discount rate, benefit and cost
risk, gross margin) is moved to its low and its high end while every other input
stays at its likely value; the risk-adjusted NPV of each end is computed with
the same engine as the business case. The rows are sorted by swing, widest
first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from roi.drivers import Assumptions, BenefitDriver, CostLine, Uncertain
from roi.engine import evaluate_case

# How far the shared assumptions move: (low, high) from their current value.
RATE_STEP = 0.05
MARGIN_STEP = 0.10
TOP = 8
INPUT_NAMES = {
    "customers_affected": "customers affected",
    "churn_reduction_pp": "churn reduction (points)",
    "revenue_per_customer": "revenue per customer",
    "contacts_per_year": "contacts a year",
    "share_avoided": "share of contacts avoided",
    "customers": "customers",
    "uplift_per_customer": "uplift per customer",
    "amount_per_year": "amount a year",
}
MARGIN_DRIVERS = {"churn_avoided", "revenue_uplift"}


def _shown(key: str, value: float) -> str:
    """An input's value for people: shares in %, large numbers with commas."""
    if key == "share_avoided":
        return f"{value:.0%}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:g}"


def _npv(lines, drivers, assumptions: Assumptions) -> float:
    return float(evaluate_case(lines, drivers, assumptions)["risk_adjusted"]["npv"])


def _row(name: str, low_label: str, high_label: str, low: float, high: float, base):
    return {
        "factor": name,
        "low_label": low_label,
        "high_label": high_label,
        "npv_low": round(low, 2),
        "npv_high": round(high, 2),
        "swing": round(abs(high - low), 2),
        "base": round(base, 2),
    }


def _line_rows(lines, drivers, assumptions, base) -> list[dict]:
    rows = []
    for i, line in enumerate(lines):
        if line.amount.is_fixed:
            continue
        ends = []
        for pick in ("low", "high"):
            moved = list(lines)
            value = line.amount.pick(pick)
            moved[i] = dataclasses.replace(line, amount=Uncertain.fixed(value))
            ends.append(_npv(moved, drivers, assumptions))
        name = f"cost: {line.label or line.kind.replace('_', ' ')}"
        low, high = line.amount.low, line.amount.high
        rows.append(_row(name, f"{low:,.0f}", f"{high:,.0f}", *ends, base))
    return rows


def _driver_rows(lines, drivers, assumptions, base) -> list[dict]:
    rows = []
    for i, driver in enumerate(drivers):
        for key, value in driver.inputs.items():
            if value.is_fixed:
                continue
            ends = []
            for pick in ("low", "high"):
                inputs = dict(driver.inputs)
                inputs[key] = Uncertain.fixed(value.pick(pick))
                moved = list(drivers)
                moved[i] = BenefitDriver(
                    kind=driver.kind, inputs=inputs, label=driver.label
                )
                ends.append(_npv(lines, moved, assumptions))
            label = driver.label or driver.kind.replace("_", " ")
            name = f"{label}: {INPUT_NAMES.get(key, key)}"
            rows.append(
                _row(name, _shown(key, value.low), _shown(key, value.high), *ends, base)
            )
    return rows


def _assumption_rows(lines, drivers, assumptions: Assumptions, base) -> list[dict]:
    moves = [
        ("discount rate", "rate", RATE_STEP, 0.0, 1.0),
        ("benefit risk", "benefit_risk", None, 0.0, 1.0),
        ("cost risk", "cost_risk", None, 0.0, 1.0),
    ]
    if any(d.kind in MARGIN_DRIVERS for d in drivers):
        moves.append(("gross margin", "gross_margin", MARGIN_STEP, 0.0, 1.0))
    rows = []
    for name, attr, step, lowest, highest in moves:
        now = getattr(assumptions, attr)
        # Risks move between none and twice today's; the others by a step.
        low, high = (
            (0.0, min(2 * now, highest))
            if step is None
            else (
                max(now - step, lowest),
                min(now + step, highest),
            )
        )
        if low == high:
            continue
        ends = [
            _npv(lines, drivers, dataclasses.replace(assumptions, **{attr: value}))
            for value in (low, high)
        ]
        rows.append(_row(name, f"{low:.0%}", f"{high:.0%}", *ends, base))
    return rows


def tornado(
    lines: Sequence[CostLine],
    drivers: Sequence[BenefitDriver],
    assumptions: Assumptions,
    *,
    top: int = TOP,
) -> list[dict]:
    """The `top` factors with the widest NPV swing: [{"factor", "low_label",
    "high_label", "npv_low", "npv_high", "swing", "base"}], widest first
    (factors that move nothing are left out)."""
    lines, drivers = list(lines), list(drivers)
    if not lines and not drivers:
        return []
    base = _npv(lines, drivers, assumptions)
    rows = [
        *_line_rows(lines, drivers, assumptions, base),
        *_driver_rows(lines, drivers, assumptions, base),
        *_assumption_rows(lines, drivers, assumptions, base),
    ]
    rows = [r for r in rows if r["swing"] > 0]
    rows.sort(key=lambda r: (-r["swing"], r["factor"]))
    return rows[:top]
