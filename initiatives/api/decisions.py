"""Decisions API: `initiatives/{id}/decide` (executives only) and the decision
log `decisions` (members; advisors see only initiatives linked to their ideas)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.concurrency import StaleEdit
from cxplan.core.api.pagination import Pagination
from cxplan.core.api.permissions import IsExecutive, IsMember
from cxplan.core.queries import query_params
from cxplan.core.visibility import hidden_for
from initiatives.api.queries import DecisionListQuery
from initiatives.models import Decision, Initiative
from initiatives.selectors import review as selectors
from initiatives.selectors.decision_evidence import (
    decision_evidence,
    evidence_change,
    evidence_now,
    evidence_withheld,
)
from initiatives.services import decisions as services


class DecideSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Decision.Verdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(
        required=False, help_text="The initiative version the figures came from."
    )


class DecisionSerializer(serializers.ModelSerializer):
    initiative_title = serializers.CharField(source="initiative.title", read_only=True)
    decided_by = serializers.CharField(source="decided_by.get_username")
    status = serializers.CharField(source="initiative.status", read_only=True)
    evidence = serializers.SerializerMethodField(
        help_text="The evidence as frozen at decision time (null before freezing)."
    )

    def _hidden(self) -> frozenset[str]:
        request = self.context.get("request")
        return hidden_for(request.user) if request else frozenset()

    def get_evidence(self, obj) -> dict | None:
        return evidence_withheld(decision_evidence(obj), self._hidden())

    class Meta:
        model = Decision
        fields = [
            "id",
            "initiative",
            "initiative_title",
            "status",
            "verdict",
            "comment",
            "figures",
            "evidence",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class DecideView(APIView):
    """Approve, reject or defer. Approval with a funding gap answers 400 with
    the gap per year; a stale `version` (or If-Match) answers 409."""

    permission_classes = [IsExecutive]

    @extend_schema(
        request=DecideSerializer,
        responses={201: DecisionSerializer},
        operation_id="initiatives_decide",
    )
    def post(self, request, pk: int):
        initiative = get_object_or_404(Initiative, pk=pk)
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        seen = data.get("version")
        match = request.headers.get("If-Match", "").strip().strip('W/"')
        # ASCII digits only: `"²".isdigit()` is true and `int("²")` fails.
        if seen is None and match.isascii() and match.isdigit() and len(match) <= 18:
            seen = int(match)
        try:
            decision = services.initiative_decide(
                actor=request.user,
                initiative_id=initiative.pk,
                verdict=data["verdict"],
                comment=data.get("comment", ""),
                seen_version=seen,
            )
        except services.StaleDecision:
            raise StaleEdit() from None
        except services.NotFunded as refused:
            return Response(
                {
                    "errors": [
                        {"field": "verdict", "message": m}
                        for m in refused.message_dict["verdict"]
                    ],
                    "gap": [
                        {
                            "year": row["year"],
                            "needed": float(row["needed"]),
                            "funded": float(row["funded"]),
                            "gap": float(row["gap"]),
                        }
                        for row in refused.state["years"]
                        if row["gap"] > 0
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DjangoValidationError:
            raise
        return Response(
            DecisionSerializer(decision).data, status=status.HTTP_201_CREATED
        )


class DecisionListView(generics.ListAPIView):
    """The decision log, newest first; `?initiative=` narrows it."""

    serializer_class = DecisionSerializer
    permission_classes = [IsMember]
    queryset = Decision.objects.none()
    pagination_class = Pagination

    @extend_schema(
        parameters=[DecisionListQuery],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        query = query_params(self.request, DecisionListQuery)
        return selectors.decisions_list(
            user=self.request.user, initiative_id=query.get("initiative")
        )


class DecisionDetailSerializer(DecisionSerializer):
    since_decision = serializers.SerializerMethodField(
        help_text="What moved since: items, customers, revenue at risk, model."
    )

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "since_decision"]
        read_only_fields = fields

    def get_since_decision(self, obj) -> dict | None:
        return evidence_change(
            decision_evidence(obj), evidence_now(obj.initiative), hidden=self._hidden()
        )


class DecisionDetailView(generics.RetrieveAPIView):
    """One decision with its frozen evidence and what changed since; members
    who may read the initiative (advisors: those linked to their ideas)."""

    serializer_class = DecisionDetailSerializer
    permission_classes = [IsMember]
    queryset = Decision.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        return selectors.decisions_list(user=self.request.user)
