"""Read-only reports: the health check and benefits realisation."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsMember
from strategy import selectors


class CheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    ok = serializers.BooleanField()
    explanation = serializers.CharField()
    fix_url = serializers.CharField()
    details = serializers.ListField(child=serializers.CharField())


class HealthView(APIView):
    """The strategy health check (members): every rule with its verdict."""

    permission_classes = [IsMember]

    @extend_schema(
        responses=inline_serializer(
            "StrategyHealth",
            {
                "warnings": serializers.IntegerField(),
                "checks": CheckSerializer(many=True),
            },
        )
    )
    def get(self, request):
        checks = selectors.health_check()
        return Response(
            {"warnings": sum(1 for c in checks if not c["ok"]), "checks": checks}
        )


class BenefitsView(APIView):
    """Benefits realisation of shipped initiatives (members)."""

    permission_classes = [IsMember]

    @extend_schema(
        responses=inline_serializer(
            "BenefitsRealisation",
            {"results": serializers.ListField(child=serializers.DictField())},
        )
    )
    def get(self, request):
        return Response({"results": selectors.benefits_realisation()})
