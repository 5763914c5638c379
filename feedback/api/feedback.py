"""Feedback items API: members list and read; CX leads post one item or a list.

POST accepts one object or a list of up to 1,000, validated with the CSV rules
(`feedback.intake.validation.validate_records`): any bad item answers 400 with
every error as `{"index", "field", "message"}` and nothing is written. Items
with an external id update the item with the same `(source, external_id)`.
"""

from datetime import UTC

from django.conf import settings
from django.http import HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from cxplan.core.api.pagination import Pagination
from cxplan.core.api.permissions import IsCxLead, MembersReadCxLeadWrite
from feedback import export_format
from feedback.intake.validation import validate_records
from feedback.models import Channel, FeedbackItem, Polarity
from feedback.selectors import feedback as selectors
from feedback.selectors.counts import FeedbackPaginator
from feedback.services.ingest import feedback_rows_ingest
from feedback.services.pii import pii_region

MAX_ITEMS_PER_POST = 1000
API_SOURCE = "api"


class FeedbackThemeRef(serializers.Serializer):
    id = serializers.IntegerField(source="theme.id")
    name = serializers.CharField(source="theme.name")
    confidence = serializers.FloatField()
    method = serializers.CharField()


class FeedbackItemSerializer(serializers.ModelSerializer):
    """An item as DESIGN.md lists it; `themes` most confident first."""

    themes = FeedbackThemeRef(many=True, read_only=True, source="ordered_assignments")

    class Meta:
        model = FeedbackItem
        fields = [*selectors.ITEM_FIELDS, "themes"]
        read_only_fields = fields


class FeedbackItemIn(serializers.Serializer):
    """One item to write (documentation of the body; validation is the CSV's)."""

    external_id = serializers.CharField(required=False, max_length=200)
    text = serializers.CharField(max_length=settings.CXPLAN_MAX_TEXT_CHARS)
    created = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    score = serializers.FloatField(required=False, allow_null=True)
    score_type = serializers.ChoiceField(
        choices=["nps", "csat", "stars", "rating"], required=False
    )
    customer_id = serializers.CharField(required=False, max_length=200)
    customer_name = serializers.CharField(required=False, max_length=300)
    segment = serializers.CharField(required=False, max_length=100)
    annual_revenue = serializers.FloatField(required=False, min_value=0)
    source = serializers.CharField(required=False, max_length=100)
    extra = serializers.DictField(required=False)


class FeedbackWriteResult(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    results = FeedbackItemSerializer(many=True)


@extend_schema_field(OpenApiTypes.DATETIME)
class DateOrDateTimeField(serializers.Field):
    """`2026-11-01` or `2026-11-01T12:00:00Z`."""

    def to_internal_value(self, data):
        try:
            value = parse_datetime(str(data)) or parse_date(str(data))
            if getattr(value, "tzinfo", None) is not None:
                value = value.astimezone(UTC)  # PostgreSQL refuses offsets > 15:59
        except (ValueError, OverflowError):  # well formed but not a real moment
            value = None
        if value is None:
            raise serializers.ValidationError(
                "Use a date (yyyy-mm-dd) or ISO datetime."
            )
        return value

    def to_representation(self, value):
        return value.isoformat()


class FeedbackListQuery(serializers.Serializer):
    theme = serializers.IntegerField(required=False, min_value=1)
    polarity = serializers.ChoiceField(choices=Polarity.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    segment = serializers.CharField(required=False, max_length=100)
    source = serializers.CharField(required=False, max_length=100)
    q = serializers.CharField(required=False, default="", max_length=200)
    created_after = DateOrDateTimeField(required=False)
    created_before = DateOrDateTimeField(required=False)
    language = serializers.RegexField(
        r"^([a-z]{2}|other)$",
        required=False,
        help_text="An ISO 639-1 code, or 'other': not the theme model's language.",
    )


class ExportQuery(FeedbackListQuery):
    # Not `format`: DRF reads that one to pick a renderer.
    file = serializers.ChoiceField(choices=["csv", "json"], default="csv")


def _filters(params, serializer_class=FeedbackListQuery) -> dict:
    query = serializer_class(data=params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class RowErrors(Exception):
    """Bad items: `errors` is the list for the 400 body."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors")


def feedback_records_write(*, data, user) -> tuple[list[int], int, int]:
    """Validate one object or a list and write them all, or raise `RowErrors`."""
    many = isinstance(data, list)
    records = data if many else [data]
    if many and not records:
        raise RowErrors([{"field": "", "message": "Send at least one item."}])
    if len(records) > MAX_ITEMS_PER_POST:
        raise RowErrors(
            [
                {
                    "field": "",
                    "message": f"Send at most {MAX_ITEMS_PER_POST} items per "
                    f"request ({len(records)} sent).",
                }
            ]
        )
    errors = [
        {"index": i, "field": "non_field_errors", "message": "must be an object"}
        for i, rec in enumerate(records)
        if not isinstance(rec, dict)
    ]
    if errors:
        raise RowErrors(errors)
    result = validate_records(
        records,
        default_source=API_SOURCE,
        max_text_chars=settings.CXPLAN_MAX_TEXT_CHARS,
        pii_region=pii_region(),
    )
    if result.errors:
        if not many:
            for error in result.errors:
                error.pop("index", None)
        raise RowErrors(result.errors)
    written = feedback_rows_ingest(rows=result.rows, user=user)
    return written.item_ids, written.created, written.updated


class FeedbackPagination(Pagination):
    """The project's pagination; the item count is cached per feedback version."""

    django_paginator_class = FeedbackPaginator


@extend_schema_view(list=extend_schema(parameters=[FeedbackListQuery]))
class FeedbackViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Feedback items. Members read (no customer identity here); CX leads write."""

    serializer_class = FeedbackItemSerializer
    permission_classes = [MembersReadCxLeadWrite]
    pagination_class = FeedbackPagination
    parser_classes = [JSONParser]
    filter_backends: list = []
    queryset = FeedbackItem.objects.none()

    def get_permissions(self):
        if self.action == "export":
            return [IsCxLead()]
        return super().get_permissions()

    def get_queryset(self):
        if self.action == "list":
            return selectors.feedback_list(**_filters(self.request.query_params))
        return selectors.feedback_list()

    @extend_schema(
        request=FeedbackItemIn,
        responses={201: FeedbackWriteResult},
        description="One object, or a list of up to 1,000 objects.",
    )
    def create(self, request, *args, **kwargs):
        try:
            ids, created, updated = feedback_records_write(
                data=request.data, user=request.user
            )
        except RowErrors as exc:
            return Response({"errors": exc.errors}, status=http.HTTP_400_BAD_REQUEST)
        items = selectors.feedback_list().filter(pk__in=ids)
        body = {
            "created": created,
            "updated": updated,
            "results": FeedbackItemSerializer(items, many=True).data,
        }
        return Response(body, status=http.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ExportQuery],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): build_array_type(
                build_basic_type(OpenApiTypes.OBJECT)
            ),
        },
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered items as a CSV or JSON download (CX leads)."""
        filters = _filters(request.query_params, ExportQuery)
        fmt = filters.pop("file")
        rows = selectors.feedback_export_rows(**filters)
        if fmt == "json":
            body, content_type = export_format.to_json(rows), "application/json"
        else:
            body, content_type = export_format.to_csv(rows), "text/csv"
        response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="feedback.{fmt}"'
        return response
