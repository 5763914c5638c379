"""Parsing of a `roi/evaluate/` request body into engine inputs.

By hand rather than by a serializer because an element of `costs` / `benefits`
may be a number or a `[low, likely, high]` range, and every refusal must name the
exact element (`costs.2`): each helper raises `Refused(field, message)`.
"""

from __future__ import annotations

import math
from numbers import Real

from roi import drivers as engine_inputs
from roi import montecarlo
from roi.selectors import FIELDS as ASSUMPTION_FIELDS
from roi.selectors import assumptions_current, assumptions_engine

MAX_YEARS = 21  # t = 0..20: bounds the Monte Carlo matrices (draws x years)
MAX_LINES = 200


class Refused(Exception):
    """An input refused: `field` names it (`costs.2`), `message` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def number(data: dict, name: str, *, default=None, low=None, high=None) -> float:
    """`data[name]` (or `default`) as a finite float within [low, high]."""
    value = data.get(name, default)
    if value is None:
        raise Refused(name, "This field is required.")
    if isinstance(value, bool) or not isinstance(value, Real):
        raise Refused(name, "Must be a number.")
    value = float(value)
    if not math.isfinite(value):
        raise Refused(name, "Must be a finite number.")
    if low is not None and value < low:
        raise Refused(name, f"Must be at least {low}.")
    if high is not None and value > high:
        raise Refused(name, f"Must be at most {high}.")
    return value


def element(value, field: str) -> engine_inputs.Uncertain:
    """A number or a `[low, likely, high]` range as an engine Uncertain."""
    if isinstance(value, bool):
        raise Refused(field, "Must be a number or [low, likely, high].")
    if isinstance(value, list | tuple):
        if len(value) != 3 or any(
            isinstance(v, bool) or not isinstance(v, Real) for v in value
        ):
            raise Refused(field, "A range must be [low, likely, high] numbers.")
    elif isinstance(value, dict):
        pass
    elif not isinstance(value, Real):
        raise Refused(field, "Must be a number or [low, likely, high].")
    try:
        return engine_inputs.Uncertain.coerce(value)
    except ValueError as error:
        raise Refused(field, str(error)) from None


def yearly(data: dict, name: str, *, negative_ok: bool) -> list:
    """`data[name]`, yearly amounts t = 0..H, as a list of Uncertain."""
    values = data.get(name)
    if not isinstance(values, list) or not values:
        raise Refused(name, "Must be a non-empty list of yearly amounts (t = 0..H).")
    if len(values) > MAX_YEARS:
        raise Refused(name, f"At most {MAX_YEARS} years (t = 0..{MAX_YEARS - 1}).")
    out = []
    for t, value in enumerate(values):
        estimate = element(value, f"{name}.{t}")
        if not negative_ok and estimate.low < 0:
            raise Refused(f"{name}.{t}", "A cost cannot be negative.")
        out.append(estimate)
    return out


def simulation_options(data: dict) -> dict:
    """The Monte Carlo `distribution`, `simulations` and `seed`, defaulted."""
    distribution = data.get("distribution", "triangular")
    if distribution not in montecarlo.DISTRIBUTIONS:
        raise Refused(
            "distribution", f"Must be one of {list(montecarlo.DISTRIBUTIONS)}."
        )
    simulations = data.get("simulations", montecarlo.DEFAULT_SIMULATIONS)
    if (
        isinstance(simulations, bool)
        or not isinstance(simulations, int)
        or not 1 <= simulations <= montecarlo.MAX_SIMULATIONS
    ):
        raise Refused(
            "simulations",
            f"Must be a whole number from 1 to {montecarlo.MAX_SIMULATIONS}.",
        )
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise Refused("seed", "Must be a whole number, 0 or more.")
    return {"distribution": distribution, "simulations": simulations, "seed": seed}


def assumptions_from(data: dict) -> engine_inputs.Assumptions:
    """The current assumptions overridden by the optional `assumptions` object."""
    given = data.get("assumptions", {})
    if not isinstance(given, dict):
        raise Refused("assumptions", "Must be an object.")
    unknown = sorted(set(given) - set(ASSUMPTION_FIELDS))
    if unknown:
        raise Refused(f"assumptions.{unknown[0]}", "Not an assumption.")
    base = assumptions_engine(assumptions_current())
    values = {name: given.get(name, getattr(base, name)) for name in ASSUMPTION_FIELDS}
    if not isinstance(values["ramp"], list | tuple):
        raise Refused("assumptions.ramp", "Must be a list of yearly shares.")
    if isinstance(values["horizon"], bool) or not isinstance(values["horizon"], int):
        raise Refused("assumptions.horizon", "Must be a whole number of years.")
    if not 1 <= values["horizon"] <= MAX_YEARS - 1:
        raise Refused("assumptions.horizon", f"Must lie within 1..{MAX_YEARS - 1}.")
    try:
        return engine_inputs.Assumptions(**values)
    except ValueError as error:
        message = str(error)
        field = next((n for n in values if message.startswith(n)), "")
        raise Refused(
            f"assumptions.{field}" if field else "assumptions", message
        ) from None


def parse_case(data: dict):
    """(cost lines, drivers) for the engine from `cost_lines` and `drivers`."""
    lines, drivers = [], []
    raw_lines = data.get("cost_lines", [])
    raw_drivers = data.get("drivers", [])
    for name, value in (("cost_lines", raw_lines), ("drivers", raw_drivers)):
        if not isinstance(value, list):
            raise Refused(name, "Must be a list.")
        if len(value) > MAX_LINES:
            raise Refused(name, f"At most {MAX_LINES} entries.")
    for i, line in enumerate(raw_lines):
        prefix = f"cost_lines.{i}"
        if not isinstance(line, dict):
            raise Refused(prefix, "Must be an object.")
        kind = line.get("kind")
        if kind not in engine_inputs.COST_KINDS:
            raise Refused(
                f"{prefix}.kind", f"Must be one of {list(engine_inputs.COST_KINDS)}."
            )
        if "amount" not in line:
            raise Refused(f"{prefix}.amount", "This field is required.")
        amount = element(line["amount"], f"{prefix}.amount")
        if amount.low < 0:
            raise Refused(f"{prefix}.amount", "A cost cannot be negative.")
        lines.append(
            engine_inputs.CostLine(
                kind=kind, amount=amount, label=str(line.get("label", ""))
            )
        )
    for i, driver in enumerate(raw_drivers):
        prefix = f"drivers.{i}"
        if not isinstance(driver, dict):
            raise Refused(prefix, "Must be an object.")
        kind = driver.get("kind")
        if kind not in engine_inputs.DRIVER_INPUTS:
            raise Refused(
                f"{prefix}.kind", f"Must be one of {list(engine_inputs.DRIVER_INPUTS)}."
            )
        inputs = driver.get("inputs")
        if not isinstance(inputs, dict):
            raise Refused(f"{prefix}.inputs", "Must be an object of named inputs.")
        parsed = {}
        for name in engine_inputs.DRIVER_INPUTS[kind]:
            if name not in inputs:
                raise Refused(f"{prefix}.inputs.{name}", "This input is required.")
            parsed[name] = element(inputs[name], f"{prefix}.inputs.{name}")
        extra = sorted(set(inputs) - set(parsed))
        if extra:
            raise Refused(f"{prefix}.inputs.{extra[0]}", f"Not an input of {kind}.")
        try:
            drivers.append(
                engine_inputs.BenefitDriver(
                    kind=kind, inputs=parsed, label=str(driver.get("label", ""))
                )
            )
        except ValueError as error:
            message = str(error)
            field = next((n for n in parsed if message.startswith(n)), "")
            raise Refused(
                f"{prefix}.inputs.{field}" if field else prefix, message
            ) from None
    return lines, drivers


def json_safe(value):
    """`value` with every non-finite float replaced by None: a ratio over a
    vanishing amount (ROI of a 1e-300 cost) overflows to inf, which JSON cannot
    carry; such a figure has no meaning, like the ROI of no cost."""
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
