"""Ranking API: the latest snapshot or a slice, history, recompute and weights
(the evidence check is feedback/api/evidence.py).

Who: every member reads (advisors get the hidden fields of
cxplan.core.visibility as null: revenue at risk, its component, the score);
only CX leads ask for a recompute or change the weights.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsCxLead, IsMember, MembersReadCxLeadWrite
from cxplan.core.api.throttles import ExpensiveThrottle
from cxplan.core.visibility import hidden_for
from feedback.models import RankingSnapshot
from feedback.models.items import CHANNELS
from feedback.ranking import formula as pure
from feedback.selectors.ranking import ranking_payload, ranking_view
from feedback.selectors.ranking_slices import (
    RankingSlice,
    ranking_slice,
    ranking_slice_payload,
    slice_resolve,
)
from feedback.services.ranking import ranking_request, ranking_weights_set
from feedback.services.ranking_state import ranking_state_get

SLICE_FIELDS = ("start", "end", "segment", "channel")


class RankingQuery(serializers.Serializer):
    snapshot = serializers.IntegerField(required=False, min_value=1)
    top = serializers.IntegerField(required=False, min_value=1, max_value=100)
    start = serializers.DateField(
        required=False, help_text="First day of a slice (ISO date, inclusive)."
    )
    end = serializers.DateField(
        required=False, help_text="Last day of a slice (ISO date, inclusive)."
    )
    segment = serializers.CharField(
        required=False, max_length=100, help_text="Only this segment's items."
    )
    channel = serializers.ChoiceField(
        required=False, choices=CHANNELS, help_text="Only this channel's items."
    )

    def validate(self, attrs):
        asked = [name for name in SLICE_FIELDS if name in attrs]
        if asked and "snapshot" in attrs:
            raise serializers.ValidationError(
                {"snapshot": f"A snapshot has no slice: drop {', '.join(asked)}."}
            )
        if asked:
            _filled, errors = slice_resolve(
                RankingSlice(**{name: attrs.get(name) for name in SLICE_FIELDS})
            )
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class RankingView(APIView):
    """The latest ranking snapshot (or `?snapshot=ID`), best theme first; with
    `start`, `end`, `segment` or `channel`, the ranking of that slice, computed
    on demand with the snapshot's formula and cached per data version."""

    permission_classes = [IsMember]

    @extend_schema(parameters=[RankingQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = RankingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = RankingSlice(
            **{name: query.validated_data.get(name) for name in SLICE_FIELDS}
        )
        if chosen.asked:
            return Response(
                ranking_slice_payload(
                    result=ranking_slice(asked=chosen),
                    hidden=hidden_for(request.user),
                    top=query.validated_data.get("top"),
                )
            )
        snapshot_id = query.validated_data.get("snapshot")
        view = ranking_view(snapshot_id=snapshot_id)
        if snapshot_id is not None and view.snapshot is None:
            raise NotFound("No such ranking snapshot.")
        return Response(
            ranking_payload(
                view=view,
                hidden=hidden_for(request.user),
                top=query.validated_data.get("top"),
            )
        )


class SnapshotSerializer(serializers.ModelSerializer):
    top3 = serializers.SerializerMethodField()

    class Meta:
        model = RankingSnapshot
        fields = [
            "id",
            "computed_at",
            "inputs_version",
            "window_start",
            "window_end",
            "items_in_window",
            "duration_ms",
            "top3",
        ]
        read_only_fields = fields

    def get_top3(self, obj) -> list[str]:
        return [t["theme"] for t in obj.themes[:3]]


class SnapshotListView(ListAPIView):
    """Every snapshot, newest first, with its top three (the history)."""

    permission_classes = [IsMember]
    serializer_class = SnapshotSerializer
    filter_backends: list = []

    def get_queryset(self):
        return RankingSnapshot.objects.order_by("-computed_at", "-id")


class RecomputeView(APIView):
    """Ask for a recompute; the answer comes back at once (202)."""

    permission_classes = [IsCxLead]
    throttle_classes = [ExpensiveThrottle]

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "RecomputeQueued", {"status": serializers.CharField()}
            )
        },
    )
    def post(self, request):
        ranking_request()
        return Response({"status": "queued"}, status=status.HTTP_202_ACCEPTED)


class WeightsSerializer(serializers.Serializer):
    customers = serializers.FloatField(min_value=0, max_value=100)
    revenue_at_risk = serializers.FloatField(min_value=0, max_value=100)
    negative_share = serializers.FloatField(min_value=0, max_value=100)
    trend = serializers.FloatField(min_value=0, max_value=100)
    votes = serializers.FloatField(min_value=0, max_value=100)
    window_days = serializers.IntegerField(min_value=7, max_value=730, required=False)

    def validate(self, attrs):
        if sum(attrs[name] for name in pure.COMPONENTS) <= 0:
            raise serializers.ValidationError(
                {"customers": "At least one weight must be above 0."}
            )
        return attrs


def weights_current() -> dict:
    state = ranking_state_get()
    weights = pure.Weights.from_dict(state.weights or {}).as_dict()
    return {**weights, "window_days": state.window_days}


class WeightsView(APIView):
    """The ranking's weights and window; CX leads change them (marks it dirty)."""

    permission_classes = [MembersReadCxLeadWrite]

    @extend_schema(responses=WeightsSerializer)
    def get(self, request):
        return Response(weights_current())

    @extend_schema(request=WeightsSerializer, responses=WeightsSerializer)
    def put(self, request):
        serializer = WeightsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        window_days = data.pop("window_days", None)
        ranking_weights_set(weights=data, window_days=window_days)
        return Response(weights_current())
