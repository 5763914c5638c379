"""Customers API: identity, segment and revenue, for CX leads and executives only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from cxplan.core.api.permissions import CanSeeCustomers
from feedback.models import Customer
from feedback.selectors import feedback as selectors


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
            "feedback_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerListQuery(serializers.Serializer):
    segment = serializers.CharField(required=False, max_length=100)
    q = serializers.CharField(required=False, default="", max_length=200)


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
