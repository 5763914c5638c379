"""The strategy, its mission versions and the five steps (with CEO sign-off)."""

from django.db.models import Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.concurrency import check_fresh, etag_for
from cxplan.core.api.pagination import Pagination
from cxplan.core.api.permissions import IsExecutive, MembersReadCxLeadWrite
from strategy import selectors, services
from strategy.api.common import UserField, call, visible_ranking
from strategy.models import MissionVersion, Strategy, StrategyStep


class StrategySerializer(serializers.ModelSerializer):
    days_left = serializers.SerializerMethodField()
    mission = serializers.SerializerMethodField()

    class Meta:
        model = Strategy
        fields = [
            "id",
            "name",
            "presentation_date",
            "days_left",
            "corporate_strategy",
            "who_we_are",
            "mission",
            "version",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "updated_at"]

    def get_days_left(self, obj) -> int | None:
        return selectors.days_left(obj)

    def get_mission(self, obj) -> str | None:
        latest = obj.missions.first()
        return latest.text if latest else None


class MissionSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = MissionVersion
        fields = ["id", "text", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]


class MissionPage(serializers.Serializer):
    """The paginated list's envelope, for the schema."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MissionSerializer(many=True)


class StrategyView(APIView):
    """GET the strategy (members); PATCH it (CX leads)."""

    permission_classes = [MembersReadCxLeadWrite]

    @extend_schema(responses=StrategySerializer)
    def get(self, request):
        strategy = services.strategy_ensure()
        response = Response(StrategySerializer(strategy).data)
        response["ETag"] = etag_for(strategy)
        return response

    @extend_schema(request=StrategySerializer, responses=StrategySerializer)
    def patch(self, request):
        strategy = services.strategy_ensure()
        check_fresh(request, strategy)
        data = StrategySerializer(strategy, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        strategy = call(
            services.strategy_update,
            strategy=strategy,
            actor=request.user,
            data=data.validated_data,
        )
        response = Response(StrategySerializer(strategy).data)
        response["ETag"] = etag_for(strategy)
        return response


class MissionListView(APIView):
    """GET the mission statement's versions, newest first (members); POST a new
    version (CX leads)."""

    permission_classes = [MembersReadCxLeadWrite]

    @extend_schema(responses=MissionPage)
    def get(self, request):
        strategy = services.strategy_ensure()
        paginator = Pagination()
        page = paginator.paginate_queryset(
            strategy.missions.select_related("created_by"), request, view=self
        )
        return paginator.get_paginated_response(MissionSerializer(page, many=True).data)

    @extend_schema(request=MissionSerializer, responses={201: MissionSerializer})
    def post(self, request):
        data = MissionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mission = services.mission_add(
            strategy=services.strategy_ensure(),
            actor=request.user,
            text=data.validated_data["text"],
        )
        return Response(MissionSerializer(mission).data, status=201)


# --- steps --------------------------------------------------------------------------


class StepSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    owner = UserField(allow_null=True, required=False)
    owner_name = serializers.SerializerMethodField()
    signed_off_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    ranking = serializers.SerializerMethodField()

    class Meta:
        model = StrategyStep
        fields = [
            "id",
            "order",
            "key",
            "name",
            "status",
            "owner",
            "owner_name",
            "due_date",
            "notes",
            "evidence",
            "ranking_snapshot_id",
            "ranking",
            "signed_off_by",
            "signed_off_at",
            "signoff_snapshot",
            "version",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "order",
            "key",
            "ranking_snapshot_id",
            "signed_off_at",
            "signoff_snapshot",
            "version",
            "updated_at",
        ]

    def get_owner_name(self, obj) -> str | None:
        return obj.owner.get_username() if obj.owner_id else None

    def get_ranking(self, obj) -> dict | None:
        """The latest ranking's top three, on "What customers want" only."""
        if obj.key != "what_customers_want":
            return None
        ranking = self.context.get("ranking")
        if ranking is None:
            ranking = selectors.ranking_top()
        return visible_ranking(ranking, self.context["request"].user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        snapshot = data.get("signoff_snapshot")
        if snapshot and snapshot.get("ranking"):
            snapshot["ranking"] = visible_ranking(
                snapshot["ranking"], self.context["request"].user
            )
        return data


class SignOffRequest(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StepViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The five steps (members read, CX leads PATCH); CEO buy-in is signed off by
    an executive through `sign-off`."""

    serializer_class = StepSerializer
    permission_classes = [MembersReadCxLeadWrite]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        # The deployment's strategy is the oldest row (see strategy_ensure).
        first = Strategy.objects.order_by("pk").values("pk")[:1]
        return StrategyStep.objects.filter(strategy_id=Subquery(first)).select_related(
            "owner", "signed_off_by"
        )

    def list(self, request, *args, **kwargs):
        services.strategy_ensure()
        return super().list(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["ranking"] = selectors.ranking_top()
        return context

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def update(self, request, *args, **kwargs):
        step = self.get_object()
        check_fresh(request, step)
        data = self.get_serializer(step, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        step = call(
            services.step_update,
            step=step,
            actor=request.user,
            data=data.validated_data,
        )
        response = Response(self.get_serializer(step).data)
        response["ETag"] = etag_for(step)
        return response

    @extend_schema(request=SignOffRequest, responses=StepSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="sign-off",
        permission_classes=[IsExecutive],
    )
    def sign_off(self, request, pk=None):
        """An executive gives CEO buy-in (the ceo_buy_in step only; once)."""
        step = self.get_object()
        data = SignOffRequest(data=request.data)
        data.is_valid(raise_exception=True)
        step = call(
            services.step_sign_off,
            step=step,
            actor=request.user,
            comment=data.validated_data.get("comment", ""),
        )
        response = Response(self.get_serializer(step).data)
        response["ETag"] = etag_for(step)
        return response
