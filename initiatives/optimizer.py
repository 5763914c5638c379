"""Choose the portfolio of initiatives that fits a yearly budget (a 0/1 knapsack
with one budget constraint per year), solved exactly with scipy's MILP (HiGHS).

Pure: no Django, no ORM. Decisions where DESIGN.md is silent:
- a candidate worth 0 or less is never chosen (reason "negative value"), unless
  it is a must-include;
- a year is binding when the selection spends at least 99.9% of a positive
  budget, or when that year alone keeps out some left-out candidate of positive
  value (more money in that year only would let it in; so a year with no money
  at all is binding when it is the one thing stopping a candidate);
- budget and cost lists of different lengths are padded with zeros, so a year
  beyond the budget list has no money;
- a selection "fits" when each year's spend is within the budget up to one part
  in 10^9 (float rounding), never by a visible amount.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

BINDING_SHARE = 0.999
RELATIVE_TOLERANCE = 1e-9
# The solver allows tiny row violations; a few re-solves with the offending
# years tightened remove them.
MAX_RESOLVES = 4


@dataclass(frozen=True)
class Candidate:
    """An initiative to choose or not: yearly costs (t = 0..H) and its value."""

    id: int | str
    costs: tuple[float, ...]
    value: float

    def __post_init__(self):
        costs = tuple(float(cost) for cost in self.costs)
        if not all(math.isfinite(cost) for cost in costs):
            raise ValueError(f"candidate {self.id!r}: costs must be finite")
        value = float(self.value)
        if not math.isfinite(value):
            raise ValueError(f"candidate {self.id!r}: value must be finite")
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "value", value)


def _tolerance(budget: np.ndarray) -> np.ndarray:
    return RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(budget))


def _years_phrase(years: Sequence[int]) -> str:
    if len(years) == 1:
        return f"year {years[0]}"
    return "years " + ", ".join(str(year) for year in years)


def _check_ids(candidates, must_include, exclude) -> tuple[set, set]:
    ids = [candidate.id for candidate in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique")
    forced, dropped = set(must_include), set(exclude)
    unknown = (forced | dropped) - set(ids)
    if unknown:
        raise ValueError(f"unknown candidate ids: {sorted(map(str, unknown))}")
    both = forced & dropped
    if both:
        raise ValueError(f"ids both included and excluded: {sorted(map(str, both))}")
    return forced, dropped


def cost_matrix(candidates: Sequence[Candidate], budget: Sequence[float]):
    """(costs, budget): a (years, candidates) matrix and a budget vector, both
    zero-padded to the longest of the budget and the cost lists."""
    years = max([len(budget), *(len(c.costs) for c in candidates)], default=0)
    costs = np.zeros((years, len(candidates)))
    for column, candidate in enumerate(candidates):
        costs[: len(candidate.costs), column] = candidate.costs
    padded = np.zeros(years)
    padded[: len(budget)] = np.asarray(budget, dtype=float)
    if not np.all(np.isfinite(padded)):
        raise ValueError("budget must hold finite numbers only")
    return costs, padded


def _solve(values, costs, budget, lower, upper, time_limit):
    """0/1 choice maximising value with costs @ x <= budget.

    Returns (choice or None, "optimal" | "infeasible" | "time_limit").
    """
    count = values.size
    if count == 0:
        fits = np.all(budget >= -_tolerance(budget))
        return (np.zeros(0), "optimal") if fits else (None, "infeasible")
    # Rows are scaled to about 1 so the solver's absolute tolerance is relative.
    scale = np.maximum(1.0, np.maximum(np.abs(budget), np.abs(costs).max(axis=1)))
    rows = costs / scale[:, None]
    limit = (budget + _tolerance(budget)) / scale
    options = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    for _ in range(MAX_RESOLVES):
        constraints = [LinearConstraint(rows, -np.inf, limit)] if rows.shape[0] else []
        result = milp(
            -values,
            integrality=np.ones(count),
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options=options,
        )
        if result.status not in (0, 1, 2):
            raise RuntimeError(f"portfolio solver failed: {result.message}")
        status = "time_limit" if result.status == 1 else "optimal"
        if result.x is None:
            return None, "infeasible" if result.status == 2 else status
        chosen = (result.x > 0.5).astype(float)
        over = costs @ chosen - budget - _tolerance(budget)
        if np.all(over <= 0):
            return chosen, status
        limit = np.where(over > 0, limit - over / scale * 2.0, limit)
    return None, "infeasible"


def optimize(
    candidates: Sequence[Candidate],
    budget: Sequence[float],
    *,
    must_include: Iterable = (),
    exclude: Iterable = (),
    time_limit: float | None = None,
) -> dict:
    """The highest-value set of candidates whose costs fit the budget every year.

    Takes candidates (unique ids), a budget per year t = 0..H, ids to force in and
    ids to force out (unknown or contradictory ids raise ValueError). Returns
    ``{"selected": [ids], "value", "left_out": [{"id", "reason"}],
    "binding_years": [t], "spend": [per year], "budget": [per year], "status"}``
    with ids in input order. When the must-include set cannot fit, ``status`` is
    "infeasible", nothing is selected, ``"message"`` says why and
    ``binding_years`` lists the years the must-include set alone breaks.

    The answer is exact by default. Random 0/1 knapsacks of a few hundred items can
    take the solver seconds; with ``time_limit`` (seconds) it stops early and, if
    it stopped, ``status`` is "time_limit" and the selection is the best found.
    """
    candidates = list(candidates)
    forced, dropped = _check_ids(candidates, must_include, exclude)
    costs, limits = cost_matrix(candidates, budget)
    values = np.array([candidate.value for candidate in candidates], dtype=float)
    in_forced = np.array([c.id in forced for c in candidates], dtype=bool)
    out = np.array(
        [c.id in dropped or (c.value <= 0 and c.id not in forced) for c in candidates],
        dtype=bool,
    )
    chosen, status = _solve(
        values,
        costs,
        limits,
        in_forced.astype(float),
        (~out).astype(float),
        time_limit,
    )
    if chosen is None:
        return _infeasible(costs, limits, in_forced, status)

    spend = costs @ chosen
    room = limits - spend
    tolerance = _tolerance(limits)
    left_out, blocking = [], set()
    for column, candidate in enumerate(candidates):
        if chosen[column]:
            continue
        if candidate.id in dropped:
            reason = "excluded"
        elif candidate.value <= 0:
            reason = "negative value"
        else:
            years = np.flatnonzero(costs[:, column] > room + tolerance).tolist()
            if len(years) == 1:
                blocking.add(years[0])
            reason = (
                f"does not fit the budget in {_years_phrase(years)}"
                if years
                # Unreachable with an exact optimum; kept so a reason is never empty.
                else "adds too little value to change the selection"
            )
        left_out.append({"id": candidate.id, "reason": reason})

    full = (limits > 0) & (spend >= BINDING_SHARE * limits)
    binding = sorted(blocking | set(np.flatnonzero(full).tolist()))
    return {
        "selected": [c.id for c, pick in zip(candidates, chosen, strict=True) if pick],
        "value": math.fsum(values[chosen > 0.5]),
        "left_out": left_out,
        "binding_years": binding,
        "spend": [float(amount) for amount in spend],
        "budget": [float(amount) for amount in limits],
        "status": status,
    }


def _infeasible(costs, limits, in_forced, status) -> dict:
    forced_spend = costs[:, in_forced].sum(axis=1)
    years = np.flatnonzero(forced_spend > limits + _tolerance(limits)).tolist()
    if status == "time_limit":
        message = "The time limit ran out before any selection was found."
    elif years:
        message = (
            "The must-include initiatives alone cost more than the budget in "
            f"{_years_phrase(years)}."
        )
    else:
        message = "No selection of initiatives fits the budget in every year."
    return {
        "selected": [],
        "value": 0.0,
        "left_out": [],
        "binding_years": years,
        "spend": [0.0] * limits.size,
        "budget": [float(amount) for amount in limits],
        "status": status,
        "message": message,
    }
