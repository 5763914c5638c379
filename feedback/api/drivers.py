"""Drivers API (issue 23): GET drivers/?metric=score|nps|churn for members.

Each theme's effect on the metric with its 95% interval, for a slice
(segment, channel, start, end). Revenue at risk (churn) is withheld from the
roles that may not see revenue.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsMember
from cxplan.core.visibility import hidden_for, withhold
from feedback.models.items import CHANNELS
from feedback.ranking.slices import slice_errors
from feedback.selectors.drivers import METRICS, SCORE_TYPES, DriversQuery, drivers_get


class DriversParams(serializers.Serializer):
    metric = serializers.ChoiceField(choices=METRICS)
    segment = serializers.CharField(required=False, max_length=100)
    channel = serializers.ChoiceField(choices=CHANNELS, required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    score_type = serializers.ChoiceField(choices=SCORE_TYPES, required=False)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end"):
            errors = slice_errors(start=attrs["start"], end=attrs["end"])
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class DriverRow(serializers.Serializer):
    """One theme's effect (the schema of a row of the answer)."""

    theme = serializers.IntegerField()
    name = serializers.CharField()
    impact = serializers.FloatField(allow_null=True)
    ci = serializers.ListField(
        child=serializers.FloatField(allow_null=True), allow_null=True
    )
    items = serializers.IntegerField()
    significant = serializers.BooleanField()
    excess_churn = serializers.FloatField(required=False, allow_null=True)
    revenue_at_risk = serializers.FloatField(required=False, allow_null=True)
    measured_revenue_at_risk = serializers.FloatField(required=False, allow_null=True)
    revenue_at_risk_basis = serializers.CharField(required=False)


class DriversAnswer(serializers.Serializer):
    metric = serializers.CharField()
    n = serializers.IntegerField()
    method = serializers.CharField()
    score_type = serializers.CharField(required=False)
    drivers = DriverRow(many=True)


def drivers_answer(params: dict, user) -> dict:
    """The drivers answer for validated `params`, as `user` may see it."""
    answer = drivers_get(DriversQuery(**params))
    hidden = hidden_for(user)
    return {**answer, "drivers": [withhold(d, hidden) for d in answer["drivers"]]}


class DriversView(APIView):
    """Drivers of a score, NPS or churn (members)."""

    permission_classes = [IsMember]

    @extend_schema(parameters=[DriversParams], responses=DriversAnswer)
    def get(self, request):
        params = DriversParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(drivers_answer(params.validated_data, request.user))
