"""`POST portfolio/optimize/`: the best set of initiatives within each year's
money, over the stored proposed initiatives or over candidates sent inline.

Stored: `{"budget"?: [per year t], "must_include"?: [ids], "exclude"?: [ids]}`
(default budget: what the funding sources can still give to proposals).
Stateless: `{"candidates": [{"id", "costs": [per year], "value"}], "budget":
[per year], "must_include"?, "exclude"?}`. Both answer `{"selected", "value",
"left_out": [{"id", "reason"}], "binding_years", "spend", "budget", "status"}`.
"""

import math

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import CanSeeCustomers
from initiatives.selectors import portfolio as selectors

MAX_CANDIDATES = 2000
MAX_YEARS = 50


class FiniteFloat(serializers.FloatField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            raise serializers.ValidationError("Must be a finite number.")
        return value


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class IdField(serializers.Field):
    """A candidate id: a whole number or a short text."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            raise serializers.ValidationError("An id is a whole number or a text.")
        if isinstance(data, str) and not 0 < len(data) <= 100:
            raise serializers.ValidationError("A text id has 1 to 100 characters.")
        return data

    def to_representation(self, value):
        return value


class CandidateSerializer(serializers.Serializer):
    id = IdField()
    costs = serializers.ListField(
        child=FiniteFloat(min_value=0), max_length=MAX_YEARS, allow_empty=True
    )
    value = FiniteFloat()


class OptimizeSerializer(serializers.Serializer):
    candidates = CandidateSerializer(
        many=True, required=False, max_length=MAX_CANDIDATES
    )
    budget = serializers.ListField(
        child=FiniteFloat(min_value=0), required=False, max_length=MAX_YEARS
    )
    must_include = serializers.ListField(child=IdField(), required=False)
    exclude = serializers.ListField(child=IdField(), required=False)

    def validate(self, attrs):
        if "candidates" in attrs:
            if "budget" not in attrs:
                raise serializers.ValidationError(
                    {"budget": "Inline candidates need a budget per year."}
                )
            ids = [c["id"] for c in attrs["candidates"]]
            if len(set(ids)) != len(ids):
                raise serializers.ValidationError(
                    {"candidates": "Candidate ids must be unique."}
                )
        return attrs


class LeftOutSerializer(serializers.Serializer):
    id = IdField()
    reason = serializers.CharField()


OptimizeResult = inline_serializer(
    "PortfolioResult",
    fields={
        "selected": serializers.ListField(child=IdField()),
        "value": serializers.FloatField(),
        "left_out": LeftOutSerializer(many=True),
        "binding_years": serializers.ListField(child=serializers.IntegerField()),
        "spend": serializers.ListField(child=serializers.FloatField()),
        "budget": serializers.ListField(child=serializers.FloatField()),
        "status": serializers.CharField(),
    },
)


class OptimizeView(APIView):
    """CX leads and executives: they propose, fund and decide."""

    permission_classes = [CanSeeCustomers]

    @extend_schema(request=OptimizeSerializer, responses=OptimizeResult)
    def post(self, request):
        serializer = OptimizeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        include = data.get("must_include", [])
        exclude = data.get("exclude", [])
        try:
            if "candidates" in data:
                result = selectors.stateless_optimize(
                    data["candidates"],
                    data["budget"],
                    must_include=include,
                    exclude=exclude,
                )
            else:
                result = selectors.portfolio_optimize(
                    budget=data.get("budget"), must_include=include, exclude=exclude
                )
        except ValueError as exc:
            field = "candidates" if "candidates" in data else "must_include"
            raise serializers.ValidationError({field: str(exc)}) from None
        return Response(result)
