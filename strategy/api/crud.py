"""Actions and success metrics: plain CRUD routed through the services."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cxplan.core.api.concurrency import check_fresh, etag_for
from cxplan.core.api.permissions import MembersReadCxLeadWrite
from strategy import selectors, services
from strategy.api.common import UserField, call
from strategy.models import Action, SuccessMetric


class ServiceCrudMixin:
    """ModelViewSet writes routed through `create_service`, `update_service` and
    `delete_service`, with the ETag/If-Match/version rules of concurrency.py."""

    create_service = update_service = delete_service = None
    object_kwarg = "obj"

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = type(self).create_service(actor=request.user, data=data.validated_data)
        response = Response(self.get_serializer(obj).data, status=201)
        response["ETag"] = etag_for(obj)
        return response

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        check_fresh(request, obj)
        data = self.get_serializer(
            obj, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        obj = call(
            type(self).update_service,
            actor=request.user,
            data=data.validated_data,
            **{self.object_kwarg: obj},
        )
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = etag_for(obj)
        return response

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        check_fresh(request, obj)
        type(self).delete_service(actor=request.user, **{self.object_kwarg: obj})
        return Response(status=204)


class ActionSerializer(serializers.ModelSerializer):
    competency_key = serializers.CharField(source="competency.key", read_only=True)
    owner = UserField(allow_null=True, required=False)
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "competency",
            "competency_key",
            "kind",
            "title",
            "description",
            "owner",
            "owner_name",
            "team",
            "due_date",
            "status",
            "version",
        ]
        read_only_fields = ["id", "version"]

    def get_owner_name(self, obj) -> str | None:
        return obj.owner.get_username() if obj.owner_id else None


class ActionViewSet(ServiceCrudMixin, viewsets.ModelViewSet):
    """Actions per competency (members read; CX leads write). Filters:
    `?competency=`, `?kind=`, `?status=`."""

    serializer_class = ActionSerializer
    permission_classes = [MembersReadCxLeadWrite]
    filterset_fields = ["competency", "kind", "status"]
    create_service = staticmethod(services.action_create)
    update_service = staticmethod(services.action_update)
    delete_service = staticmethod(services.action_delete)
    object_kwarg = "action"

    def get_queryset(self):
        return selectors.actions_list()


class MetricSerializer(serializers.ModelSerializer):
    """A success metric. For NPS and CSAT, `current` is the latest month computed
    from feedback scores when there are any (`source: "feedback"`)."""

    owner = UserField(allow_null=True, required=False)
    owner_name = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SuccessMetric
        fields = [
            "id",
            "name",
            "kind",
            "unit",
            "baseline",
            "target",
            "current",
            "direction",
            "owner",
            "owner_name",
            "source",
            "status",
            "progress",
            "version",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "updated_at"]

    def _overview(self, obj) -> dict:
        rows = self.context.get("overview")
        if rows is None or obj.pk not in rows:
            rows = {m["id"]: m for m in selectors.metrics_overview()}
            self.context["overview"] = rows
        return rows.get(obj.pk, {})

    def get_owner_name(self, obj) -> str | None:
        return obj.owner.get_username() if obj.owner_id else None

    def get_source(self, obj) -> str:
        return self._overview(obj).get("source", "readings")

    def get_status(self, obj) -> str | None:
        return self._overview(obj).get("status")

    def get_progress(self, obj) -> float | None:
        return self._overview(obj).get("progress")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        row = self._overview(instance)
        if row:
            data["current"] = row["current"]
        return data


class ReadingSerializer(serializers.Serializer):
    period = serializers.DateField()
    value = serializers.FloatField()
    n = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Scored items (computed series)."
    )


class MetricViewSet(ServiceCrudMixin, viewsets.ModelViewSet):
    """Success metrics (members read; CX leads write); `readings` GET (members)
    and POST (CX leads: one value per period, re-posting a period corrects it)."""

    serializer_class = MetricSerializer
    permission_classes = [MembersReadCxLeadWrite]
    filterset_fields = ["kind"]
    create_service = staticmethod(services.metric_create)
    update_service = staticmethod(services.metric_update)
    delete_service = staticmethod(services.metric_delete)
    object_kwarg = "metric"

    def get_queryset(self):
        return SuccessMetric.objects.select_related("owner")

    @extend_schema(
        methods=["GET"], request=None, responses=ReadingSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"], request=ReadingSerializer, responses={201: ReadingSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def readings(self, request, pk=None):
        """The metric's series (computed from feedback for NPS/CSAT when scored
        feedback exists), or record a reading."""
        metric = self.get_object()
        if request.method == "POST":
            data = ReadingSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            reading = services.metric_reading_record(
                metric=metric,
                actor=request.user,
                period=data.validated_data["period"],
                value=data.validated_data["value"],
            )
            answer = {"period": reading.period, "value": reading.value, "n": None}
            return Response(ReadingSerializer(answer).data, status=201)
        row = next(m for m in selectors.metrics_overview() if m["id"] == metric.pk)
        page = self.paginate_queryset(row["series"])
        return self.get_paginated_response(ReadingSerializer(page, many=True).data)
