"""Imports API (CX leads): POST a file (multipart) -> 202 with the batch; GET status.

`imports/preview/` answers the proposed (or given) mapping with a confidence
per field and the first 20 rows parsed as they would be stored, writing
nothing; `imports/<id>/errors.csv` (feedback/api_urls.py) every error of a
batch. An upload may give `constants` (`{"field": "value"}`, `created` may be
`import_date`); what it does not give comes from the source's remembered
mapping, else from the guess over the file's first rows.

The upload is stored with its batch row before the task is sent, so the answer
comes at once and the import runs on the `imports` queue. Files over
`FEEDBACK_UPLOAD_MAX_BYTES` answer 413; a header wider than
`CXPLAN_IMPORT_MAX_COLUMNS` answers 400 before any batch is stored.
"""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsCxLead
from cxplan.core.api.throttles import ExpensiveThrottle
from feedback.intake.columns import constants_check
from feedback.intake.dates import date_format_name
from feedback.intake.reading import FileError, TooManyColumns
from feedback.models import ImportBatch
from feedback.selectors.import_preview import (
    import_preview,
    preview_read,
)
from feedback.selectors.imports import import_errors_csv
from feedback.services import imports as services
from feedback.services.import_fill import import_mapping_for

API_ERRORS = 1000


class ImportBatchSerializer(serializers.ModelSerializer):
    # The first errors; errors.csv has them all, error_summary counts them all.
    errors = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    # Items in another language than the theme model's (no rule or model theme).
    other_language = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "source",
            "original_name",
            "size_bytes",
            "mapping",
            "constants",
            "date_format",
            "skip_invalid",
            "skip_empty_text",
            "notes",
            "status",
            "progress",
            "stage",
            "rows_total",
            "rows_imported",
            "rows_created",
            "rows_updated",
            "rows_skipped",
            "duplicates",
            "errors",
            "error_summary",
            "redacted",
            "other_language",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        return super().to_representation(services.import_progress_overlay(instance))

    def get_errors(self, batch) -> list[dict]:
        return batch.errors[:API_ERRORS]

    def get_other_language(self, batch) -> int:
        from feedback.selectors.coverage import batch_other_language

        counted = getattr(batch, "other_language_n", None)
        return (
            counted if counted is not None else batch_other_language(batch_id=batch.pk)
        )

    def get_duplicates(self, batch) -> int:
        from feedback.intake.errors import duplicates_count

        return duplicates_count(batch.error_summary)


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
    constants = MappingField(required=False, default=None, allow_null=True)
    date_format = serializers.CharField(required=False, default="", max_length=100)
    skip_invalid = serializers.BooleanField(required=False, default=False)
    skip_empty_text = serializers.BooleanField(required=False, default=False)

    def validate_date_format(self, value):
        if not value:
            return value
        try:
            return date_format_name(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_constants(self, value):
        if value is None:
            return value
        try:
            return constants_check(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class ImportPreviewUpload(serializers.Serializer):
    file = serializers.FileField()
    source = serializers.CharField(required=False, max_length=100, default="")
    mapping = MappingField(required=False, default=dict)
    constants = MappingField(required=False, default=None, allow_null=True)
    date_format = serializers.CharField(required=False, default="", max_length=100)
    skip_empty_text = serializers.BooleanField(required=False, default=False)

    validate_date_format = ImportUpload.validate_date_format
    validate_constants = ImportUpload.validate_constants


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

    def get_queryset(self):
        from feedback.selectors.coverage import with_other_language

        return with_other_language(super().get_queryset())

    def get_throttles(self):
        # Only an upload or a preview works; reading the batches is not limited.
        if self.action in ("create", "preview"):
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
        try:
            services.upload_check_columns(file=file)
            # An empty mapping sent means none sent: the source's remembered one.
            filled = import_mapping_for(
                source=source,
                raw=_head(file),
                mapping=data["mapping"] or None,
                date_format=data["date_format"],
                constants=data["constants"],
            )
            batch = services.import_batch_create(
                file=file,
                source=source,
                user=request.user,
                mapping=filled.mapping,
                constants=filled.constants,
                date_format=filled.date_format,
                skip_invalid=data["skip_invalid"],
                skip_empty_text=data["skip_empty_text"],
                original_name=file.name,
            )
        except services.UploadTooLarge as exc:
            return too_large(exc.size)
        except TooManyColumns as exc:
            return too_wide(exc)
        except (FileError, ValueError) as exc:
            return bad_request("file", exc)
        batch.refresh_from_db()
        body = self.get_serializer(batch).data
        headers = {"Location": f"{request.path.rstrip('/')}/{batch.pk}/"}
        return Response(body, status=http.HTTP_202_ACCEPTED, headers=headers)

    @extend_schema(request=ImportPreviewUpload, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """The mapping proposed (or given) and 20 rows parsed; writes nothing."""
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > services.upload_cap() + 64 * 1024:
            return too_large(length)
        upload = ImportPreviewUpload(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        file = data["file"]
        if file.size > services.upload_cap():
            return too_large(file.size)
        try:
            table = preview_read(file.read(), max_columns=services.columns_cap())
            body = import_preview(
                table=table,
                source=data["source"] or file.name.rsplit(".", 1)[0],
                mapping=data["mapping"] or None,
                constants=data["constants"],
                date_format=data["date_format"],
                skip_empty_text=data["skip_empty_text"],
            )
        except TooManyColumns as exc:
            return too_wide(exc)
        except FileError as exc:
            return bad_request("file", exc)
        except ValueError as exc:
            return bad_request("constants", exc)
        return Response(body)


def _head(file) -> bytes:
    """The whole upload, read once for the guess; the file is rewound."""
    raw = file.read()
    file.seek(0)
    return raw


def too_wide(exc) -> Response:
    return bad_request("file", f"The file is too wide: {exc}.")


def bad_request(field: str, exc) -> Response:
    return Response(
        {"errors": [{"field": field, "message": str(exc)}]},
        status=http.HTTP_400_BAD_REQUEST,
    )


class ImportErrorsCsvView(APIView):
    """GET imports/<id>/errors.csv: every error of a batch (CX leads)."""

    permission_classes = [IsCxLead]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, pk: int):
        batch = get_object_or_404(ImportBatch, pk=pk)
        response = HttpResponse(
            import_errors_csv(batch=batch), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="import-{batch.pk}-errors.csv"'
        )
        return response
