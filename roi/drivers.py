"""Cost lines, benefit drivers and assumptions, turned into yearly cash flows.

Pure: no Django, no ORM. Everything here works on plain floats and on numpy arrays
alike, so the deterministic engine and the Monte Carlo simulation share one piece
of arithmetic. Flows sit on the grid t = 0..H (DESIGN.md, "ROI"): t = 0 is the
implementation column, years 1..H carry recurring costs and ramped benefits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real

import numpy as np

PICKS = ("low", "likely", "high")

ONE_TIME = "one_time"
RECURRING = "recurring"
INTERNAL_EFFORT = "internal_effort"
COST_KINDS = (ONE_TIME, RECURRING, INTERNAL_EFFORT)

# The inputs each benefit driver needs (the stored JSON uses these names).
DRIVER_INPUTS: dict[str, tuple[str, ...]] = {
    "churn_avoided": (
        "customers_affected",
        "churn_reduction_pp",
        "revenue_per_customer",
    ),
    "contacts_avoided": ("contacts_per_year", "share_avoided"),
    "revenue_uplift": ("customers", "uplift_per_customer"),
    "custom": ("amount_per_year",),
}

# Inclusive bounds an input's whole range must respect; inputs not listed are free
# (an uplift or a custom amount may be negative: a driver can cost money).
_INPUT_BOUNDS: dict[str, tuple[float, float]] = {
    "customers_affected": (0.0, math.inf),
    "churn_reduction_pp": (0.0, 100.0),
    "revenue_per_customer": (0.0, math.inf),
    "contacts_per_year": (0.0, math.inf),
    "share_avoided": (0.0, 1.0),
    "customers": (0.0, math.inf),
}


def _number(value, name: str) -> float:
    """A finite float from an int, float or Decimal; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"{name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, not {value!r}")
    return number


@dataclass(frozen=True)
class Uncertain:
    """A three-point estimate: low <= likely <= high (equal for a fixed figure)."""

    low: float
    likely: float
    high: float

    def __post_init__(self):
        for name in PICKS:
            object.__setattr__(self, name, _number(getattr(self, name), name))
        if not self.low <= self.likely <= self.high:
            raise ValueError(
                f"expected low <= likely <= high, got "
                f"{self.low}, {self.likely}, {self.high}"
            )

    @classmethod
    def fixed(cls, value) -> Uncertain:
        """A figure known exactly: low, likely and high all equal ``value``."""
        return cls(value, value, value)

    @classmethod
    def coerce(cls, value) -> Uncertain:
        """An Uncertain from an Uncertain, a number, a ``[low, likely, high]``
        sequence or a ``{"low", "likely", "high"}`` mapping."""
        if isinstance(value, Uncertain):
            return value
        if isinstance(value, Mapping):
            missing = [name for name in PICKS if name not in value]
            if missing:
                raise ValueError(f"range is missing {', '.join(missing)}")
            return cls(value["low"], value["likely"], value["high"])
        if isinstance(value, Sequence) and not isinstance(value, str):
            if len(value) != 3:
                raise ValueError("a range needs exactly [low, likely, high]")
            return cls(*value)
        return cls.fixed(value)

    @property
    def is_fixed(self) -> bool:
        return self.low == self.high

    def pick(self, which: str = "likely") -> float:
        """The low, likely or high point."""
        if which not in PICKS:
            raise ValueError(f"pick must be one of {PICKS}, not {which!r}")
        return getattr(self, which)


@dataclass(frozen=True)
class CostLine:
    """A cost: one-time and internal effort fall at t = 0, recurring in 1..H."""

    kind: str
    amount: Uncertain
    label: str = ""

    def __post_init__(self):
        if self.kind not in COST_KINDS:
            raise ValueError(f"cost kind must be one of {COST_KINDS}")
        amount = Uncertain.coerce(self.amount)
        # A saving is a benefit driver; a negative cost would hide it from ROI.
        if amount.low < 0:
            raise ValueError("a cost cannot be negative; enter savings as a benefit")
        object.__setattr__(self, "amount", amount)


@dataclass(frozen=True)
class BenefitDriver:
    """A yearly benefit computed from named inputs (see DRIVER_INPUTS)."""

    kind: str
    inputs: Mapping[str, Uncertain]
    label: str = ""

    def __post_init__(self):
        if self.kind not in DRIVER_INPUTS:
            raise ValueError(f"driver kind must be one of {tuple(DRIVER_INPUTS)}")
        expected = set(DRIVER_INPUTS[self.kind])
        given = set(self.inputs)
        # Unknown names are refused rather than ignored: they are typos.
        if given != expected:
            raise ValueError(
                f"{self.kind} needs inputs {sorted(expected)}, got {sorted(given)}"
            )
        inputs = {}
        for name in DRIVER_INPUTS[self.kind]:
            value = Uncertain.coerce(self.inputs[name])
            lowest, highest = _INPUT_BOUNDS.get(name, (-math.inf, math.inf))
            if value.low < lowest or value.high > highest:
                raise ValueError(f"{name} must lie within [{lowest}, {highest}]")
            inputs[name] = value
        object.__setattr__(self, "inputs", inputs)


@dataclass(frozen=True)
class Assumptions:
    """Financial assumptions shared by every case (DESIGN.md defaults)."""

    rate: float = 0.10
    horizon: int = 3
    gross_margin: float = 0.6
    assisted_cost: float = 6.0
    self_service_cost: float = 0.5
    ramp: tuple[float, ...] = field(default=(0.25, 0.75, 1.0))
    benefit_risk: float = 0.15
    cost_risk: float = 0.10

    def __post_init__(self):
        for name in (
            "rate",
            "gross_margin",
            "assisted_cost",
            "self_service_cost",
            "benefit_risk",
            "cost_risk",
        ):
            object.__setattr__(self, name, _number(getattr(self, name), name))
        if isinstance(self.horizon, bool) or int(self.horizon) != self.horizon:
            raise ValueError("horizon must be a whole number of years")
        object.__setattr__(self, "horizon", int(self.horizon))
        ramp = tuple(_number(value, "ramp") for value in self.ramp)
        object.__setattr__(self, "ramp", ramp)
        _check_range("rate", self.rate, 0.0, 1.0)
        if self.horizon < 1:
            raise ValueError("horizon must be at least 1 year")
        _check_range("gross_margin", self.gross_margin, 0.0, 1.0)
        _check_range("benefit_risk", self.benefit_risk, 0.0, 1.0)
        _check_range("cost_risk", self.cost_risk, 0.0, math.inf)
        _check_range("assisted_cost", self.assisted_cost, 0.0, math.inf)
        _check_range("self_service_cost", self.self_service_cost, 0.0, math.inf)
        if not ramp or min(ramp) < 0:
            raise ValueError("ramp needs at least one share, none negative")

    def ramp_factors(self) -> np.ndarray:
        """The ramp share for years 1..H (last value repeated, or truncated)."""
        return ramp_factors(self.ramp, self.horizon)


def _check_range(name, value, lowest, highest):
    if not lowest <= value <= highest:
        raise ValueError(f"{name} must lie within [{lowest}, {highest}]")


def ramp_factors(ramp: Sequence[float], horizon: int) -> np.ndarray:
    """Shares of the full yearly benefit for years 1..H.

    A ramp shorter than the horizon keeps its last value for the remaining years;
    a longer one is cut at the horizon. Returns an array of length ``horizon``.
    """
    if not ramp:
        raise ValueError("ramp needs at least one share")
    shares = list(ramp[:horizon])
    shares += [ramp[-1]] * (horizon - len(shares))
    return np.asarray(shares, dtype=float)


def driver_yearly(kind: str, values: Mapping, assumptions: Assumptions):
    """A driver's full (un-ramped) yearly benefit.

    ``values`` maps each input name to a float or to an array of draws; the answer
    has the same shape (a float, or one benefit per draw).
    """
    margin = assumptions.gross_margin
    if kind == "churn_avoided":
        return (
            values["customers_affected"]
            * (values["churn_reduction_pp"] / 100.0)
            * values["revenue_per_customer"]
            * margin
        )
    if kind == "contacts_avoided":
        saving = assumptions.assisted_cost - assumptions.self_service_cost
        return values["contacts_per_year"] * values["share_avoided"] * saving
    if kind == "revenue_uplift":
        return values["customers"] * values["uplift_per_customer"] * margin
    if kind == "custom":
        return values["amount_per_year"] * 1.0
    raise ValueError(f"unknown driver kind {kind!r}")


def cost_flows(kind: str, amount, horizon: int) -> np.ndarray:
    """One cost line on the grid t = 0..H: shape ``amount.shape + (H + 1,)``."""
    mask = np.zeros(horizon + 1)
    if kind == RECURRING:
        mask[1:] = 1.0
    elif kind in (ONE_TIME, INTERNAL_EFFORT):
        mask[0] = 1.0
    else:
        raise ValueError(f"unknown cost kind {kind!r}")
    return np.multiply.outer(amount, mask)


def benefit_flows(yearly, ramp: np.ndarray) -> np.ndarray:
    """A yearly benefit ramped over years 1..H, nothing at t = 0."""
    return np.multiply.outer(yearly, np.concatenate(([0.0], ramp)))


def cashflow_lines(
    cost_lines: Sequence[CostLine],
    drivers: Sequence[BenefitDriver],
    assumptions: Assumptions,
    *,
    pick: str = "likely",
) -> list[dict]:
    """Every cost line and driver as its own row of yearly flows (t = 0..H).

    Each row is ``{"side": "cost" | "benefit", "kind", "label", "values",
    "risk_adjusted"}``, lists of floats of length H + 1, for the cash-flow table.
    Risk adjustment is applied to each line: costs x (1 + cost_risk), benefits
    x (1 - benefit_risk); the rows therefore add up to the totals of
    ``risk_adjust(*cashflows(...))``.
    """
    horizon = assumptions.horizon
    ramp = assumptions.ramp_factors()
    rows = []
    for line in cost_lines:
        flows = cost_flows(line.kind, line.amount.pick(pick), horizon)
        rows.append(
            _row("cost", line.kind, line.label, flows, 1.0 + assumptions.cost_risk)
        )
    for driver in drivers:
        values = {name: value.pick(pick) for name, value in driver.inputs.items()}
        flows = benefit_flows(driver_yearly(driver.kind, values, assumptions), ramp)
        factor = 1.0 - assumptions.benefit_risk
        rows.append(_row("benefit", driver.kind, driver.label, flows, factor))
    return rows


def _row(side, kind, label, flows, factor):
    return {
        "side": side,
        "kind": kind,
        "label": label or kind.replace("_", " "),
        "values": [float(value) for value in flows],
        "risk_adjusted": [float(value) for value in flows * factor],
    }


def cashflows(
    cost_lines: Sequence[CostLine],
    drivers: Sequence[BenefitDriver],
    assumptions: Assumptions,
    *,
    pick: str = "likely",
) -> tuple[np.ndarray, np.ndarray]:
    """Total yearly (costs, benefits), each an array of length H + 1, before risk.

    ``pick`` chooses the low, likely or high point of every range.
    """
    size = assumptions.horizon + 1
    costs, benefits = np.zeros(size), np.zeros(size)
    for row in cashflow_lines(cost_lines, drivers, assumptions, pick=pick):
        target = costs if row["side"] == "cost" else benefits
        target += np.asarray(row["values"])
    return costs, benefits
