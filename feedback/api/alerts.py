"""Alerts API: `alerts` (members read), `alerts/recompute` (CX leads: run the
detection now), `alerts/{id}/dismiss` (CX leads: a false alarm, remembered)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsCxLead, IsMember
from cxplan.core.api.throttles import ExpensiveThrottle
from feedback.models import Alert
from feedback.services import alerts as services

MAX_ALERTS = 1000


class AlertSerializer(serializers.ModelSerializer):
    theme_name = serializers.CharField(source="theme.name", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "theme",
            "theme_name",
            "kind",
            "measure",
            "week_start",
            "size",
            "observed",
            "expected",
            "limit",
            "items",
            "dismissed",
        ]
        read_only_fields = fields


class AlertListView(ListAPIView):
    """Alerts, newest week first (members): a plain list, as the contract says;
    at most MAX_ALERTS of them."""

    serializer_class = AlertSerializer
    permission_classes = [IsMember]
    pagination_class = None
    queryset = Alert.objects.none()

    def get_queryset(self):
        return services.alerts_list()[:MAX_ALERTS]


class AlertRecomputeView(APIView):
    """Run the detection now (CX leads); answers what it found."""

    permission_classes = [IsCxLead]
    throttle_classes = [ExpensiveThrottle]

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "AlertsRecomputed",
            {
                "new": serializers.IntegerField(),
                "weeks": serializers.IntegerField(),
                "themes": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request):
        return Response(services.alerts_recompute())


class AlertDismissView(APIView):
    """Dismiss a false alarm (CX leads); it stays dismissed."""

    permission_classes = [IsCxLead]

    @extend_schema(request=None, responses=AlertSerializer)
    def post(self, request, pk: int):
        alert = get_object_or_404(Alert.objects.select_related("theme"), pk=pk)
        return Response(
            AlertSerializer(services.alert_dismiss(alert=alert, user=request.user)).data
        )
