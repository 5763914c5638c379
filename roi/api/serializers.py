"""Serializers and response schemas of the ROI API."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

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
