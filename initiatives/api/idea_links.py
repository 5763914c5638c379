"""The CX leads' idea triage actions that take initiatives, under the ideas
routes (`ideas/{id}/status/`, `ideas/{id}/links/`): this app owns the links of
ideas to initiatives. The rest of the ideas API is feedback.api.ideas; both
answer the same IdeaSerializer with its ETag."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cxplan.core.api.concurrency import check_fresh, etag_for
from cxplan.core.api.permissions import IsCxLead
from feedback.api.ideas import MAX_ID, IdeaSerializer
from feedback.models import Idea
from feedback.selectors import ideas as selectors
from initiatives.services import idea_links as services


class IdeaStatusChange(serializers.Serializer):
    status = serializers.ChoiceField(choices=Idea.Status.choices)
    decline_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
    initiatives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    version = serializers.IntegerField(required=False)


class IdeaLinksChange(serializers.Serializer):
    themes = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    initiatives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )

    def validate(self, attrs):
        if "themes" not in attrs and "initiatives" not in attrs:
            raise serializers.ValidationError(
                {"themes": "Send `themes` and/or `initiatives` (lists of ids)."}
            )
        return attrs


class IdeaTriageViewSet(viewsets.GenericViewSet):
    """CX leads only (403 for others): the `status` and `links` actions of an
    idea. Registered on the `ideas` prefix with no list or detail route, so the
    router adds only these two paths."""

    serializer_class = IdeaSerializer
    permission_classes = [IsCxLead]
    filter_backends: list = []
    queryset = Idea.objects.none()

    def get_queryset(self):
        return selectors.ideas_annotated(user=self.request.user)

    def _answer(self, idea: Idea) -> Response:
        idea = selectors.idea_get(user=self.request.user, pk=idea.pk)
        response = Response(self.get_serializer(idea).data)
        response["ETag"] = etag_for(idea)
        return response

    @extend_schema(request=IdeaStatusChange, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """CX leads: move the idea along its workflow; author and voters are told."""
        idea = self.get_object()
        data = IdeaStatusChange(data=request.data)
        data.is_valid(raise_exception=True)
        check_fresh(request, idea)
        idea = services.idea_status_set(
            idea=idea,
            user=request.user,
            status=data.validated_data["status"],
            decline_reason=data.validated_data["decline_reason"],
            initiative_ids=data.validated_data.get("initiatives"),
        )
        return self._answer(idea)

    @extend_schema(request=IdeaLinksChange, responses=IdeaSerializer)
    @action(detail=True, methods=["put"])
    def links(self, request, pk=None):
        """CX leads: replace the linked themes and/or initiatives."""
        idea = self.get_object()
        data = IdeaLinksChange(data=request.data)
        data.is_valid(raise_exception=True)
        idea = services.idea_links_set(
            idea=idea,
            user=request.user,
            theme_ids=data.validated_data.get("themes"),
            initiative_ids=data.validated_data.get("initiatives"),
        )
        return self._answer(idea)
