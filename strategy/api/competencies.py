"""Competencies: maturity per role, ratings by every role, history."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cxplan.core.api.permissions import IsMember
from cxplan.core.roles import ALL_ROLES
from strategy import selectors, services
from strategy.models import Competency, CompetencyRating


class RatingSerializer(serializers.Serializer):
    user = serializers.CharField()
    role = serializers.CharField()
    score = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class RoleFigures(serializers.Serializer):
    cx_lead = serializers.FloatField(allow_null=True)
    executive = serializers.FloatField(allow_null=True)
    advisor = serializers.FloatField(allow_null=True)


class CompetencySerializer(serializers.Serializer):
    """A competency with its maturity: role averages, spread, newest ratings."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    order = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    raters = serializers.IntegerField()
    role_averages = RoleFigures()
    role_raters = RoleFigures()
    spread = serializers.FloatField(allow_null=True)
    is_hole = serializers.BooleanField()
    latest_ratings = RatingSerializer(many=True)


class RateRequest(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    role = serializers.ChoiceField(
        choices=ALL_ROLES,
        required=False,
        help_text="For users holding several roles; default: the most senior held "
        "(executive, then cx_lead, then advisor).",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RatingAnswer(serializers.ModelSerializer):
    rated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CompetencyRating
        fields = [
            "id",
            "competency",
            "rated_by",
            "role",
            "score",
            "comment",
            "created_at",
        ]


class HistoryPoint(serializers.Serializer):
    competency_id = serializers.IntegerField()
    competency = serializers.CharField()
    role = serializers.CharField()
    period = serializers.DateField()
    average = serializers.FloatField()
    ratings = serializers.IntegerField()


class CompetencyViewSet(viewsets.GenericViewSet):
    """The five competencies with their ratings (members); `rate` (members)."""

    permission_classes = [IsMember]
    serializer_class = CompetencySerializer
    queryset = Competency.objects.all()

    def _summary(self):
        return selectors.competency_summary()

    def list(self, request):
        page = self.paginate_queryset(self._summary())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        competency = self.get_object()
        row = next(c for c in self._summary() if c["id"] == competency.pk)
        return Response(self.get_serializer(row).data)

    @extend_schema(request=RateRequest, responses={201: RatingAnswer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """Record the caller's 1-5 rating (a new row; the newest counts)."""
        competency = self.get_object()
        data = RateRequest(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.competency_rate(
            competency=competency,
            actor=request.user,
            score=data.validated_data["score"],
            role=data.validated_data.get("role"),
            comment=data.validated_data.get("comment", ""),
        )
        return Response(RatingAnswer(rating).data, status=201)

    @extend_schema(responses=HistoryPoint(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Average rating by month and role."""
        points = selectors.rating_history(competency=self.get_object())
        page = self.paginate_queryset(points)
        return self.get_paginated_response(HistoryPoint(page, many=True).data)
