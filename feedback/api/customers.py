"""Customers API: identity, segment, revenue and outcomes, for CX leads and
executives only; `customers/import/` (CX leads) stores a CSV of them."""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cxplan.core.api.permissions import CanSeeCustomers, IsCxLead
from feedback.api.imports import MappingField
from feedback.models import Customer
from feedback.selectors import feedback as selectors
from feedback.services.customers import customers_import

MAX_BYTES = 50 * 1024 * 1024


class CustomerSerializer(serializers.ModelSerializer):
    feedback_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "external_id",
            "name",
            "segment",
            "annual_revenue",
            "churned",
            "churned_on",
            "feedback_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerListQuery(serializers.Serializer):
    segment = serializers.CharField(required=False, max_length=100)
    q = serializers.CharField(required=False, default="", max_length=200)
    external_id = serializers.CharField(required=False, max_length=200)


class CustomerImport(serializers.Serializer):
    file = serializers.FileField()
    mapping = MappingField(required=False, default=dict)

    def validate_file(self, value):
        if value.size > MAX_BYTES:
            raise serializers.ValidationError("The file is over 50 MB.")
        return value


@extend_schema_view(list=extend_schema(parameters=[CustomerListQuery]))
class CustomerViewSet(viewsets.ReadOnlyModelViewSet):
    """Customers with how much feedback each gave; written by imports only."""

    serializer_class = CustomerSerializer
    permission_classes = [CanSeeCustomers]
    filter_backends: list = []
    queryset = Customer.objects.none()

    def get_queryset(self):
        if self.action == "list":
            query = CustomerListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            return selectors.customers_list(**query.validated_data)
        return selectors.customers_list()

    @extend_schema(
        request=CustomerImport,
        responses={
            201: inline_serializer(
                "CustomersImported",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                },
            ),
            400: inline_serializer(
                "CustomersRefused",
                {"errors": serializers.ListField(child=serializers.DictField())},
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        permission_classes=[IsCxLead],
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_(self, request):
        """Store a CSV of customers, all or nothing (CX leads)."""
        form = CustomerImport(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            result = customers_import(
                data=data["file"].read(), mapping=data["mapping"], user=request.user
            )
        except ValueError as error:  # the file cannot be read as CSV
            result = {"errors": [{"line": 1, "field": "file", "message": str(error)}]}
        if "errors" in result:
            return Response(result, status=status.HTTP_400_BAD_REQUEST)
        return Response(result, status=status.HTTP_201_CREATED)
