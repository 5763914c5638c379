"""Initiatives API: CRUD with nested cost lines and drivers (members read, CX
leads write), `initiatives/{id}/roi` (the cached business case), `compare` and
`prefill` (a new initiative's case from a ranked theme).

Advisors never see customer revenue: a churn driver's inputs (revenue per
customer and the two figures it would be divided back out of) are null for
them (cxplan.core.visibility); the prefill is for CX leads.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cxplan.core.api.concurrency import StaleEdit, check_fresh, etag_for
from cxplan.core.api.pagination import Pagination
from cxplan.core.api.permissions import IsCxLead, MembersReadCxLeadWrite
from cxplan.core.queries import query_params
from cxplan.core.visibility import hidden_for, withhold
from feedback.models import Theme
from initiatives.api.queries import InitiativeListQuery, InitiativePrefillQuery
from initiatives.business_case import BusinessCase
from initiatives.models import BenefitDriver, CostLine, Initiative
from initiatives.selectors import initiatives as selectors
from initiatives.selectors.realisation import initiative_realisation
from initiatives.services import initiatives as services
from initiatives.services.results import initiative_results_compute


class CostLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostLine
        fields = ["id", "kind", "label", "low", "likely", "high"]
        read_only_fields = ["id"]


class DriverSerializer(serializers.ModelSerializer):
    inputs = serializers.DictField(
        help_text="Input name -> [low, likely, high] (or one number); names per kind "
        "in DESIGN.md: churn_avoided (customers_affected, churn_reduction_pp, "
        "revenue_per_customer), contacts_avoided (contacts_per_year, "
        "share_avoided), revenue_uplift (customers, uplift_per_customer), custom "
        "(amount_per_year)."
    )

    class Meta:
        model = BenefitDriver
        fields = ["id", "kind", "label", "inputs"]
        read_only_fields = ["id"]
        extra_kwargs = {"label": {"required": False}}


class InitiativeSerializer(serializers.ModelSerializer):
    """An initiative with its case. Writing `cost_lines` or `drivers` replaces
    them; the figures (risk-adjusted) are recomputed on every write."""

    themes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Theme.objects.all(), required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    cost_lines = CostLineSerializer(many=True, required=False)
    drivers = DriverSerializer(many=True, required=False, source="benefit_drivers")
    from_theme = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(),
        write_only=True,
        required=False,
        help_text="On create: pre-fill themes and drivers from this ranked theme.",
    )
    npv = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, allow_null=True
    )
    evidence = serializers.SerializerMethodField()
    montecarlo = serializers.SerializerMethodField()
    theme_rank = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "title",
            "problem",
            "themes",
            "owner",
            "team",
            "status",
            "shipped_on",
            "shipped_segment",
            "is_technology",
            "ask_reason",
            "cost_lines",
            "drivers",
            "from_theme",
            "npv",
            "roi",
            "payback_months",
            "pv_costs",
            "montecarlo",
            "evidence",
            "theme_rank",
            "assumptions",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "roi",
            "payback_months",
            "pv_costs",
            "assumptions",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"status": {"required": False}, "title": {"required": False}}

    def get_evidence(self, obj) -> dict:
        return selectors.evidence_of(obj)

    def get_montecarlo(self, obj) -> dict | None:
        montecarlo = BusinessCase.from_json(obj.result).montecarlo
        return montecarlo.as_dict() if montecarlo else None

    def get_theme_rank(self, obj) -> int | None:
        ranks = self.context.get("theme_ranks")
        if ranks is None:
            entries = selectors.theme_entries(selectors.latest_snapshot())
            found = [entries[t.pk]["rank"] for t in obj.themes.all() if t.pk in entries]
            return min(found) if found else None
        return ranks.get(obj.pk)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        hidden = hidden_for(request.user) if request is not None else frozenset()
        if hidden and data.get("drivers"):
            data["drivers"] = [withhold(d, hidden) for d in data["drivers"]]
        return data


def _service_args(data: dict) -> dict:
    args = {}
    for name in (
        "title",
        "problem",
        "owner",
        "team",
        "is_technology",
        "shipped_on",
        "shipped_segment",
        "ask_reason",
    ):
        if name in data:
            args[name] = data[name]
    if "themes" in data:
        args["themes"] = data["themes"]
    if "cost_lines" in data:
        args["cost_lines"] = [dict(line) for line in data["cost_lines"]]
    if "benefit_drivers" in data:
        args["drivers"] = [dict(driver) for driver in data["benefit_drivers"]]
    return args


def _django_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


SORT_PARAM = OpenApiParameter(
    "sort", str, enum=list(selectors.SORTS), description="Default: npv (risk-adjusted)."
)


class InitiativeViewSet(viewsets.ModelViewSet):
    """Initiatives ranked by risk-adjusted NPV (`?sort=npv|roi|payback|theme_rank`,
    `?status=`, `?theme=`)."""

    serializer_class = InitiativeSerializer
    permission_classes = [MembersReadCxLeadWrite]
    pagination_class = Pagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.with_case(Initiative.objects.all()).order_by("pk")

    @extend_schema(parameters=[SORT_PARAM, InitiativeListQuery(partial=True)])
    def list(self, request, *args, **kwargs):
        query = query_params(request, InitiativeListQuery)
        try:
            rows = selectors.initiatives_ranked(
                sort=query.get("sort", "npv"),
                status=query.get("status"),
                theme=query.get("theme"),
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from None
        page = self.paginate_queryset(rows)
        context = self.get_serializer_context()
        context["theme_ranks"] = {row["id"]: row["theme_rank"] for row in rows}
        serializer = InitiativeSerializer(
            [row["initiative"] for row in page], many=True, context=context
        )
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        args = _service_args(data)
        theme = data.get("from_theme")
        if theme is not None:
            prefill = selectors.theme_prefill(theme=theme)
            args.setdefault("title", prefill["title"])
            args.setdefault("problem", prefill["problem"])
            args.setdefault("themes", prefill["themes"])
            args.setdefault("drivers", prefill["drivers"])
        if "title" not in args:
            raise ValidationError({"title": "This field is required."})
        try:
            initiative = services.initiative_create(actor=request.user, **args)
        except DjangoValidationError as error:
            raise _django_errors(error) from None
        initiative = selectors.initiative_get(pk=initiative.pk)
        out = self.get_serializer(initiative).data
        return Response(
            out, status=status.HTTP_201_CREATED, headers={"ETag": etag_for(initiative)}
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        check_fresh(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        args = _service_args(data)
        if "status" in data:
            args["status"] = data["status"]
        try:
            initiative = services.initiative_update(
                actor=request.user,
                initiative=instance,
                seen_version=instance.version,
                **args,
            )
        except services.StaleInitiative:
            raise StaleEdit() from None
        except DjangoValidationError as error:
            raise _django_errors(error) from None
        initiative = selectors.initiative_get(pk=initiative.pk)
        return Response(
            self.get_serializer(initiative).data, headers={"ETag": etag_for(initiative)}
        )

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        check_fresh(request, instance)
        try:
            services.initiative_delete(actor=request.user, initiative=instance)
        except DjangoValidationError as error:
            raise _django_errors(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        operation_id="initiatives_roi_read",
        responses={200: OpenApiTypes.OBJECT},
        description="The cached business case: raw and risk-adjusted figures with "
        "Monte Carlo, cash flows per line, warnings, evidence and the assumptions "
        "used.",
    )
    @extend_schema(
        methods=["POST"],
        operation_id="initiatives_roi_recompute",
        request=None,
        responses={200: OpenApiTypes.OBJECT},
        description="Recompute the business case now (CX leads).",
    )
    @action(detail=True, methods=["get", "post"], url_path="roi")
    def roi(self, request, pk=None):
        initiative = self.get_object()
        # A case never computed (made before this code) is filled in on read.
        if request.method == "POST" or not initiative.result:
            initiative = initiative_results_compute(initiative_id=initiative.pk)
        result = dict(initiative.result or {})
        result.pop("npv_quantiles", None)
        result["id"] = initiative.pk
        result["version"] = initiative.version
        return Response(result)

    @extend_schema(
        operation_id="initiatives_realisation",
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "Did it work: the relative change of each linked theme's weekly share"
            " of feedback after the ship date, with its 95% interval, and the"
            " promised benefit against the realised one (members)."
        ),
    )
    @action(detail=True, methods=["get"])
    def realisation(self, request, pk=None):
        return Response(initiative_realisation(self.get_object()))

    @extend_schema(
        operation_id="initiatives_compare",
        parameters=[
            OpenApiParameter("ids", str, description="2 to 4 ids, comma separated")
        ],
        responses={200: InitiativeSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def compare(self, request):
        ids = [p for p in request.query_params.get("ids", "").split(",") if p.strip()]
        try:
            rows = selectors.initiatives_compare(ids=ids)
        except DjangoValidationError as error:
            raise _django_errors(error) from None
        context = self.get_serializer_context()
        context["theme_ranks"] = {row["id"]: row["theme_rank"] for row in rows}
        serializer = InitiativeSerializer(
            [row["initiative"] for row in rows], many=True, context=context
        )
        return Response(serializer.data)

    @extend_schema(
        operation_id="initiatives_prefill",
        parameters=[InitiativePrefillQuery],
        responses={200: OpenApiTypes.OBJECT},
        description="What a new initiative for a ranked theme starts with.",
    )
    @action(detail=False, methods=["get"], permission_classes=[IsCxLead])
    def prefill(self, request):
        theme_id = query_params(request, InitiativePrefillQuery)["theme"]
        theme = get_object_or_404(Theme, pk=theme_id)
        return Response(selectors.theme_prefill(theme=theme))
