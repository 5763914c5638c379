"""Imports API (CX leads): POST a file (multipart) -> 202 with the batch; GET status.

The upload is stored with its batch row before the task is sent, so the answer
comes at once and the import runs on the `imports` queue. Files over
`FEEDBACK_UPLOAD_MAX_BYTES` answer 413; a header wider than
`CXPLAN_IMPORT_MAX_COLUMNS` answers 400 before any batch is stored.
"""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cxplan.core.api.permissions import IsCxLead
from cxplan.core.api.throttles import ExpensiveThrottle
from feedback.intake.dates import date_format_name
from feedback.intake.reading import TooManyColumns
from feedback.models import ImportBatch
from feedback.selectors.imports import column_mapping_get
from feedback.services import imports as services


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "source",
            "original_name",
            "size_bytes",
            "mapping",
            "date_format",
            "skip_invalid",
            "status",
            "progress",
            "stage",
            "rows_total",
            "rows_imported",
            "rows_created",
            "rows_updated",
            "rows_skipped",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.OBJECT)
class MappingField(serializers.Field):
    """A JSON object `{"column": "field"}`, sent as a JSON string in a form."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise serializers.ValidationError(
                    'Send a JSON object such as {"Review Text": "text"}.'
                ) from exc
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise serializers.ValidationError(
                "Map column names to field names (strings)."
            )
        return data

    def to_representation(self, value):
        return value


class ImportUpload(serializers.Serializer):
    file = serializers.FileField()
    source = serializers.CharField(required=False, max_length=100, default="")
    mapping = MappingField(required=False, default=dict)
    date_format = serializers.CharField(required=False, default="", max_length=100)
    skip_invalid = serializers.BooleanField(required=False, default=False)

    def validate_date_format(self, value):
        if not value:
            return value
        try:
            return date_format_name(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


def too_large(size: int) -> Response:
    exc = services.UploadTooLarge(size, services.upload_cap())
    return Response(
        {"errors": [{"field": "file", "message": str(exc)}]},
        status=http.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class ImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Feedback file imports: CX leads only."""

    serializer_class = ImportBatchSerializer
    permission_classes = [IsCxLead]
    parser_classes = [MultiPartParser, FormParser]
    filter_backends: list = []
    queryset = ImportBatch.objects.order_by("-created_at", "-id")

    def get_throttles(self):
        # Only an upload starts work; reading the batches is not limited.
        if self.action == "create":
            return [ExpensiveThrottle()]
        return super().get_throttles()

    @extend_schema(request=ImportUpload, responses={202: ImportBatchSerializer})
    def create(self, request, *args, **kwargs):
        # Refuse an oversized body before reading it (the multipart envelope
        # adds a little to the file's own size).
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > services.upload_cap() + 64 * 1024:
            return too_large(length)
        upload = ImportUpload(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        file = data["file"]
        source = data["source"] or file.name.rsplit(".", 1)[0]
        # An empty mapping sent means none sent: the source's remembered one.
        filled = column_mapping_get(
            source=source,
            mapping=data["mapping"] or None,
            date_format=data["date_format"],
        )
        try:
            batch = services.import_batch_create(
                file=file,
                source=source,
                user=request.user,
                mapping=filled.mapping,
                date_format=filled.date_format,
                skip_invalid=data["skip_invalid"],
                original_name=file.name,
            )
        except services.UploadTooLarge as exc:
            return too_large(exc.size)
        except TooManyColumns as exc:
            return Response(
                {
                    "errors": [
                        {"field": "file", "message": f"The file is too wide: {exc}."}
                    ]
                },
                status=http.HTTP_400_BAD_REQUEST,
            )
        batch.refresh_from_db()
        body = self.get_serializer(batch).data
        headers = {"Location": f"{request.path.rstrip('/')}/{batch.pk}/"}
        return Response(body, status=http.HTTP_202_ACCEPTED, headers=headers)
