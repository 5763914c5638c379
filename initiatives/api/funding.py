"""Funding API: `funding-sources` (with amounts per year), `allocations`, and
the read-only `funding/plan`. CX leads and executives read, CX leads write."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.concurrency import check_fresh, etag_for
from cxplan.core.api.pagination import Pagination
from cxplan.core.api.permissions import ManagersReadCxLeadWrite
from cxplan.core.queries import query_params
from initiatives.api.queries import AllocationListQuery
from initiatives.models import Allocation, FundingSource, Initiative
from initiatives.selectors import funding as selectors
from initiatives.services import funding as services


class AmountSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=0, max_value=services.MAX_YEAR)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    allocated = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True
    )
    available = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True
    )


class FundingSourceSerializer(serializers.ModelSerializer):
    """A source; `amounts` lists each year t with its amount, what is allocated
    and what is left. Writing `amounts` replaces them all."""

    amounts = AmountSerializer(many=True, required=False)
    savings_of = serializers.PrimaryKeyRelatedField(
        queryset=Initiative.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = FundingSource
        fields = ["id", "name", "kind", "savings_of", "note", "amounts", "version"]
        read_only_fields = ["version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["amounts"] = [
            {key: str(value) if key != "year" else value for key, value in row.items()}
            for row in selectors.source_years(instance)
        ]
        return data

    def validate_amounts(self, value):
        years = [row["year"] for row in value]
        if len(set(years)) != len(years):
            raise serializers.ValidationError("Each year may appear once.")
        return value

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("kind", "savings_of"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: "Cannot change; create another source."}
                    )
        return attrs


def _amounts(data):
    if "amounts" not in data:
        return None
    return {row["year"]: row["amount"] for row in data["amounts"]}


class FundingSourceViewSet(viewsets.ModelViewSet):
    serializer_class = FundingSourceSerializer
    permission_classes = [ManagersReadCxLeadWrite]
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.sources_list().order_by("name", "pk")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def perform_create(self, serializer):
        data = serializer.validated_data
        source = services.funding_source_create(
            actor=self.request.user,
            name=data["name"],
            kind=data["kind"],
            savings_of=data.get("savings_of"),
            note=data.get("note", ""),
            amounts=_amounts(data),
        )
        serializer.instance = self.get_queryset().get(pk=source.pk)

    def perform_update(self, serializer):
        check_fresh(self.request, serializer.instance)
        data = serializer.validated_data
        source = services.funding_source_update(
            actor=self.request.user,
            source=serializer.instance,
            name=data.get("name"),
            note=data.get("note"),
            amounts=_amounts(data),
        )
        serializer.instance = self.get_queryset().get(pk=source.pk)

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_destroy(self, instance):
        services.funding_source_delete(actor=self.request.user, source=instance)


class AllocationSerializer(serializers.ModelSerializer):
    """Money from `source` to `initiative` in year t. POST sets the amount for
    that (source, initiative, year), creating or replacing it."""

    source_name = serializers.CharField(source="source.name", read_only=True)
    initiative_title = serializers.CharField(source="initiative.title", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    year = serializers.IntegerField(min_value=0, max_value=services.MAX_YEAR)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "source",
            "source_name",
            "initiative",
            "initiative_title",
            "year",
            "amount",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # The service upserts, so the unique-together check must not refuse first.
        validators = []


class AllocationAmountSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class AllocationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """List (`?source=`, `?initiative=`, `?year=`), set, change, remove."""

    serializer_class = AllocationSerializer
    permission_classes = [ManagersReadCxLeadWrite]
    pagination_class = Pagination

    def get_queryset(self):
        rows = Allocation.objects.select_related("source", "initiative").order_by(
            "year", "source__name", "initiative__title", "pk"
        )
        if self.action == "list":
            rows = rows.filter(**query_params(self.request, AllocationListQuery))
        return rows

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        allocation = services.allocation_set(
            actor=request.user,
            source=data["source"],
            initiative=data["initiative"],
            year=data["year"],
            amount=data["amount"],
        )
        if allocation is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            self.get_serializer(allocation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AllocationAmountSerializer, responses=AllocationSerializer)
    def partial_update(self, request, *args, **kwargs):
        allocation = self.get_object()
        serializer = AllocationAmountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.allocation_set(
            actor=request.user,
            source=allocation.source,
            initiative=allocation.initiative,
            year=allocation.year,
            amount=serializer.validated_data["amount"],
        )
        if updated is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(updated).data)

    def perform_destroy(self, instance):
        services.allocation_delete(actor=self.request.user, allocation=instance)


def _plan_json(plan: dict) -> dict:
    def years(rows):
        return [
            {
                "year": row["year"],
                "needed": float(row["needed"]),
                "funded": float(row["funded"]),
                "gap": float(row["gap"]),
                **(
                    {"available": float(row["available"])} if "available" in row else {}
                ),
                "sources": [
                    {"source": s["source"], "amount": float(s["amount"])}
                    for s in row["sources"]
                ],
            }
            for row in rows
        ]

    return {
        "years": years(plan["years"]),
        "self_funding_ratio": plan["self_funding_ratio"],
        "initiatives": [
            {
                "id": row["initiative"].pk,
                "title": row["initiative"].title,
                "status": row["initiative"].status,
                "fully_funded": row["state"]["fully_funded"],
                "gap": float(row["state"]["gap"]),
                "years": years(row["state"]["years"]),
            }
            for row in plan["initiatives"]
        ],
    }


class FundingPlanView(APIView):
    """Per year: needed, funded (and from where), gap, still available; each
    open initiative's funding state; the approved set's self-funding ratio."""

    permission_classes = [ManagersReadCxLeadWrite]

    @extend_schema(
        responses=inline_serializer(
            "FundingPlan",
            fields={
                "years": serializers.ListField(child=serializers.DictField()),
                "self_funding_ratio": serializers.FloatField(allow_null=True),
                "initiatives": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        return Response(_plan_json(selectors.funding_plan()))
