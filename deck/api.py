"""/api/v1/decks: versions (CX leads and executives), `build` (CX leads, 202),
and each version's files per format."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from cxplan.core.api.permissions import CanSeeCustomers, IsCxLead
from cxplan.core.api.throttles import ExpensiveThrottle
from deck import selectors, services
from deck.exporters import FORMATS
from deck.files import deck_file_response, missing_file_message
from deck.models import Deck


class DeckSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="pending, building, done or failed"
    )
    built_by = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Deck
        fields = [
            "id",
            "version",
            "status",
            "progress",
            "stage",
            "formats",
            "files",
            "changes",
            "error",
            "built_by",
            "created_at",
            "enqueued_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_built_by(self, deck) -> str | None:
        return deck.built_by.get_username() if deck.built_by_id else None

    def get_files(self, deck) -> dict[str, str | None]:
        request = self.context.get("request")
        return {
            fmt: reverse("api-deck-file", args=[deck.pk, fmt], request=request)
            if getattr(deck, fmt)
            else None
            for fmt in FORMATS
        }


class DeckDetailSerializer(DeckSerializer):
    class Meta(DeckSerializer.Meta):
        fields = [*DeckSerializer.Meta.fields, "data"]
        read_only_fields = fields


class DeckBuildSerializer(serializers.Serializer):
    formats = serializers.ListField(
        child=serializers.ChoiceField(choices=FORMATS),
        required=False,
        allow_empty=False,
        help_text="Formats to export (default: html, pdf and pptx).",
    )


class DeckViewSet(viewsets.ReadOnlyModelViewSet):
    """Deck versions, newest first; the detail carries the snapshot data."""

    permission_classes = [CanSeeCustomers]

    def get_queryset(self):
        if self.action == "retrieve":
            return Deck.objects.select_related("built_by")
        return selectors.deck_list()

    def get_serializer_class(self):
        return DeckDetailSerializer if self.action == "retrieve" else DeckSerializer


class DeckBuildView(APIView):
    """Request a new deck version; it builds on the `deck` queue."""

    permission_classes = [IsCxLead]
    throttle_classes = [ExpensiveThrottle]

    @extend_schema(
        request=DeckBuildSerializer, responses={202: DeckSerializer}, tags=["decks"]
    )
    def post(self, request):
        form = DeckBuildSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deck = services.deck_request(
            user=request.user, formats=form.validated_data.get("formats")
        )
        body = DeckSerializer(deck, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class DeckFileView(APIView):
    """One version's file in one format (404 while not built or not requested)."""

    permission_classes = [CanSeeCustomers]

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such deck or file"),
        },
        operation_id="decks_file_retrieve",
        tags=["decks"],
    )
    def get(self, request, pk: int, file_format: str):
        deck = selectors.deck_get(deck_id=pk)
        if deck is None:
            raise NotFound("No such deck.")
        response = deck_file_response(deck, file_format, attachment=True)
        if response is None:
            raise NotFound(missing_file_message(deck, file_format))
        return response
