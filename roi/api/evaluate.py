"""`POST roi/evaluate/`: the stateless ROI of explicit yearly flows (numbers or
`[low, likely, high]` ranges) or of cost lines and benefit drivers, raw and risk
adjusted, with a Monte Carlo when an input is a range. Parsing: roi.api.parsing.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsMember
from cxplan.core.api.throttles import ExpensiveThrottle
from roi import engine, montecarlo
from roi.api.parsing import (
    Refused,
    assumptions_from,
    json_safe,
    number,
    parse_case,
    simulation_options,
    yearly,
)
from roi.api.serializers import EVALUATE_RESPONSE
from roi.selectors import assumptions_current, assumptions_engine


def _attach(result: dict, simulated: dict | None) -> dict:
    for block in ("raw", "risk_adjusted"):
        if simulated is not None:
            result[block]["montecarlo"] = simulated[block]
    return result


def evaluate_explicit(data: dict) -> dict:
    """The explicit form: yearly `costs` and `benefits` (numbers or ranges)."""
    default_rate = float(assumptions_engine(assumptions_current()).rate)
    rate = number(data, "rate", default=default_rate, low=0, high=1)
    benefit_risk = number(data, "benefit_risk", default=0.0, low=0, high=1)
    cost_risk = number(data, "cost_risk", default=0.0, low=0, high=10)
    costs = yearly(data, "costs", negative_ok=False)
    benefits = yearly(data, "benefits", negative_ok=True)
    if len(costs) != len(benefits):
        raise Refused("benefits", "Must cover the same years as costs.")
    options = simulation_options(data)
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


def evaluate_drivers(data: dict) -> dict:
    """The drivers form: cost lines and benefit drivers with the assumptions
    (current ones, overridden by an optional `assumptions` object)."""
    assumptions = assumptions_from(data)
    lines, drivers = parse_case(data)
    options = simulation_options(data)
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


class EvaluateView(APIView):
    """Stateless ROI of explicit yearly flows or of cost lines and drivers."""

    permission_classes = [IsMember]
    throttle_classes = [ExpensiveThrottle]  # a Monte Carlo per call

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
