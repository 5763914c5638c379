"""ROI API: the stateless `roi/evaluate/` and the assumptions (`roi/assumptions/`).

The evaluate input is parsed by hand rather than by a serializer because an
element of `costs` / `benefits` may be a number or a `[low, likely, high]`
range, and every refusal must name the exact element (`costs.2`).
"""

from __future__ import annotations

import math
from numbers import Real

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.concurrency import PreconditionFailed
from cxplan.core.api.permissions import IsMember, MembersReadCxLeadWrite
from roi import drivers as engine_inputs
from roi import engine, montecarlo
from roi.selectors import FIELDS as ASSUMPTION_FIELDS
from roi.selectors import (
    assumptions_as_dict,
    assumptions_current,
    assumptions_engine,
)
from roi.services import assumptions_set

MAX_YEARS = 21  # t = 0..20: bounds the Monte Carlo matrices (draws x years)
MAX_LINES = 200


class Refused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _number(data: dict, name: str, *, default=None, low=None, high=None) -> float:
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


def _element(value, field: str) -> engine_inputs.Uncertain:
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


def _yearly(data: dict, name: str, *, negative_ok: bool) -> list:
    values = data.get(name)
    if not isinstance(values, list) or not values:
        raise Refused(name, "Must be a non-empty list of yearly amounts (t = 0..H).")
    if len(values) > MAX_YEARS:
        raise Refused(name, f"At most {MAX_YEARS} years (t = 0..{MAX_YEARS - 1}).")
    out = []
    for t, value in enumerate(values):
        estimate = _element(value, f"{name}.{t}")
        if not negative_ok and estimate.low < 0:
            raise Refused(f"{name}.{t}", "A cost cannot be negative.")
        out.append(estimate)
    return out


def _simulation_options(data: dict) -> dict:
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


def _attach(result: dict, simulated: dict | None) -> dict:
    for block in ("raw", "risk_adjusted"):
        if simulated is not None:
            result[block]["montecarlo"] = simulated[block]
    return result


def evaluate_explicit(data: dict) -> dict:
    """The explicit form: yearly `costs` and `benefits` (numbers or ranges)."""
    default_rate = float(assumptions_engine(assumptions_current()).rate)
    rate = _number(data, "rate", default=default_rate, low=0, high=1)
    benefit_risk = _number(data, "benefit_risk", default=0.0, low=0, high=1)
    cost_risk = _number(data, "cost_risk", default=0.0, low=0, high=10)
    costs = _yearly(data, "costs", negative_ok=False)
    benefits = _yearly(data, "benefits", negative_ok=True)
    if len(costs) != len(benefits):
        raise Refused("benefits", "Must cover the same years as costs.")
    options = _simulation_options(data)
    ranged = any(not e.is_fixed for e in costs + benefits)
    result = engine.evaluate(
        [e.likely for e in costs],
        [e.likely for e in benefits],
        rate=rate,
        benefit_risk=benefit_risk,
        cost_risk=cost_risk,
    )
    simulated = None
    if ranged or "simulations" in data:
        simulated = montecarlo.simulate_explicit(
            [[e.low, e.likely, e.high] for e in costs],
            [[e.low, e.likely, e.high] for e in benefits],
            rate=rate,
            benefit_risk=benefit_risk,
            cost_risk=cost_risk,
            **options,
        )
    result = _attach(result, simulated)
    result["inputs"] = {
        "rate": rate,
        "benefit_risk": benefit_risk,
        "cost_risk": cost_risk,
    }
    return result


def _assumptions_from(data: dict) -> engine_inputs.Assumptions:
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
        amount = _element(line["amount"], f"{prefix}.amount")
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
            parsed[name] = _element(inputs[name], f"{prefix}.inputs.{name}")
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


def evaluate_drivers(data: dict) -> dict:
    """The drivers form: cost lines and benefit drivers with the assumptions
    (current ones, overridden by an optional `assumptions` object)."""
    assumptions = _assumptions_from(data)
    lines, drivers = parse_case(data)
    options = _simulation_options(data)
    result = engine.evaluate_case(lines, drivers, assumptions)
    ranged = any(not line.amount.is_fixed for line in lines) or any(
        not value.is_fixed for d in drivers for value in d.inputs.values()
    )
    simulated = None
    if ranged or "simulations" in data:
        simulated = montecarlo.simulate_case(lines, drivers, assumptions, **options)
    result = _attach(result, simulated)
    result["assumptions"] = {
        name: (list(value) if isinstance(value, tuple) else value)
        for name, value in vars(assumptions).items()
    }
    return result


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


def evaluate_request(data) -> dict:
    """Route a request body to the explicit or the drivers form; raise a DRF
    ValidationError naming the field when the input is refused."""
    try:
        if not isinstance(data, dict):
            raise Refused("non_field_errors", "Send a JSON object.")
        if "costs" in data or "benefits" in data:
            return json_safe(evaluate_explicit(data))
        if "cost_lines" in data or "drivers" in data:
            return json_safe(evaluate_drivers(data))
        raise Refused(
            "costs",
            "Send either yearly `costs` and `benefits`, or `cost_lines` and `drivers`.",
        )
    except Refused as refused:
        raise ValidationError(
            {"errors": [{"field": refused.field, "message": refused.message}]}
        ) from None
    except ValueError as error:  # anything the engine refuses that we did not foresee
        raise ValidationError(
            {"errors": [{"field": "non_field_errors", "message": str(error)}]}
        ) from None


_METRICS = inline_serializer(
    "RoiMetrics",
    fields={
        "pv_costs": serializers.FloatField(),
        "pv_benefits": serializers.FloatField(),
        "npv": serializers.FloatField(),
        "roi": serializers.FloatField(allow_null=True),
        "irr": serializers.FloatField(allow_null=True),
        "mirr": serializers.FloatField(allow_null=True),
        "payback_months": serializers.FloatField(allow_null=True),
        "discounted_payback_months": serializers.FloatField(allow_null=True),
        "peak_funding": serializers.FloatField(),
        "montecarlo": inline_serializer(
            "RoiMonteCarlo",
            fields={
                "p10": serializers.FloatField(),
                "p50": serializers.FloatField(),
                "p90": serializers.FloatField(),
                "mean": serializers.FloatField(),
                "p_positive": serializers.FloatField(),
            },
            required=False,
        ),
    },
)

EVALUATE_RESPONSE = inline_serializer(
    "RoiEvaluation",
    fields={
        "raw": _METRICS,
        "risk_adjusted": _METRICS,
        "cashflows": serializers.DictField(),
        "warnings": serializers.ListField(child=serializers.CharField()),
    },
)


class EvaluateView(APIView):
    """Stateless ROI of explicit yearly flows or of cost lines and drivers."""

    permission_classes = [IsMember]

    @extend_schema(
        operation_id="roi_evaluate",
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={200: EVALUATE_RESPONSE},
        examples=[
            OpenApiExample(
                "explicit",
                value={
                    "rate": 0.1,
                    "costs": [10000, 5000, 5000, 5000],
                    "benefits": [0, 15000, [12000, 15000, 20000], 15000],
                    "benefit_risk": 0.15,
                    "cost_risk": 0.1,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        return Response(evaluate_request(request.data))


class AssumptionsSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, allow_null=True)
    rate = serializers.FloatField(min_value=0, max_value=1, required=False)
    horizon = serializers.IntegerField(min_value=1, max_value=10, required=False)
    gross_margin = serializers.FloatField(min_value=0, max_value=1, required=False)
    assisted_cost = serializers.FloatField(min_value=0, required=False)
    self_service_cost = serializers.FloatField(min_value=0, required=False)
    ramp = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=2),
        min_length=1,
        max_length=10,
        required=False,
    )
    benefit_risk = serializers.FloatField(min_value=0, max_value=1, required=False)
    cost_risk = serializers.FloatField(min_value=0, max_value=2, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_by = serializers.CharField(read_only=True, allow_null=True)


def _etag(data: dict) -> str:
    return f'"{data["id"] or 0}"'


class AssumptionsView(APIView):
    """The current assumptions. PUT (CX leads) saves a new current set; fields
    left out keep their value. `If-Match` with the ETag read refuses a stale edit
    (412)."""

    permission_classes = [MembersReadCxLeadWrite]

    @extend_schema(
        operation_id="roi_assumptions_read", responses={200: AssumptionsSerializer}
    )
    def get(self, request):
        data = assumptions_as_dict(assumptions_current())
        return Response(data, headers={"ETag": _etag(data)})

    @extend_schema(
        operation_id="roi_assumptions_update",
        request=AssumptionsSerializer,
        responses={200: AssumptionsSerializer},
    )
    def put(self, request):
        serializer = AssumptionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        header = request.headers.get("If-Match", "").strip()
        if header and header != "*":
            current = assumptions_as_dict(assumptions_current())
            if header.removeprefix("W/") != _etag(current):
                raise PreconditionFailed()
        values = dict(serializer.validated_data)
        note = values.pop("note", "")
        try:
            saved = assumptions_set(actor=request.user, note=note, **values)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        data = assumptions_as_dict(saved)
        return Response(data, headers={"ETag": _etag(data)})
