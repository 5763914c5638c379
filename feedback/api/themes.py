"""Themes API: CRUD, merge, training, the model's quality, discovery, labels.

Routes: `themes` (list/create; `?archived=true` includes archived ones),
`themes/{id}` (read/edit; DELETE archives), `themes/{id}/merge` {"into"},
`themes/train` (202: trains a candidate), `themes/model` (the applied model and
the candidate), `themes/model/accept|discard` {"version"}, `themes/discover`
(GET open suggestions, POST runs discovery),
`themes/suggestions/{id}/accept|dismiss`, and the manual labels
`feedback/{id}/themes` (PUT) and `feedback/labels` (POST, many items).
Members read; CX leads write.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.concurrency import check_fresh, etag_for
from cxplan.core.api.permissions import IsCxLead, MembersReadCxLeadWrite
from cxplan.core.api.throttles import ExpensiveThrottle
from cxplan.core.queue import send_on_commit
from feedback.api.theme_models import ModelOverviewSerializer, ModelVersionChoice
from feedback.models import FeedbackItem, Theme, ThemeSuggestion
from feedback.selectors import themes as selectors
from feedback.selectors.rule_quality import rule_quality_all
from feedback.selectors.theme_models import theme_model_overview
from feedback.services import labels as label_services
from feedback.services import theme_admin as services
from feedback.services import theme_candidates


class ThemeSerializer(serializers.ModelSerializer):
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True),
        required=False,
        max_length=50,
        help_text="Keyword phrases (whole words, case-insensitive, stemmed).",
    )
    feedback_count = serializers.IntegerField(read_only=True, default=0)
    manual_count = serializers.IntegerField(read_only=True, default=0)
    rule_quality = serializers.SerializerMethodField(
        help_text="The keyword rule measured against the manual labels: "
        "precision, ci, recall, matched_labelled, flag (ok, poor, unmeasured), "
        "keywords; null for a theme without keywords or archived."
    )

    class Meta:
        model = Theme
        fields = [
            "id",
            "name",
            "description",
            "keywords",
            "feedback_count",
            "manual_count",
            "is_active",
            "merged_into",
            "version",
            "rule_quality",
        ]
        read_only_fields = ["is_active", "merged_into", "version"]
        extra_kwargs = {
            "description": {"required": False},
            # Uniqueness (case-insensitive) is checked by the service.
            "name": {"validators": []},
        }

    def get_rule_quality(self, theme) -> dict | None:
        quality = self.context.get("rule_quality")
        if quality is None:  # one theme answered: counted (or cached) here
            quality = rule_quality_all()
        return quality.get(theme.pk)


class ThemeListQuery(serializers.Serializer):
    archived = serializers.BooleanField(
        required=False, default=False, help_text="Include archived themes."
    )


class ThemeMergeInto(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The theme to keep.")


class ExampleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="suggestion.pk")
    name = serializers.CharField(source="suggestion.name")
    terms = serializers.ListField(
        child=serializers.CharField(), source="suggestion.terms"
    )
    size = serializers.IntegerField(source="suggestion.size")
    status = serializers.CharField(source="suggestion.status")
    quotes = ExampleSerializer(many=True, source="examples")


class DiscoverRun(serializers.Serializer):
    k = serializers.IntegerField(min_value=1, max_value=30, default=5)


class SuggestionAccept(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=120)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )


class TrainAccepted(serializers.Serializer):
    status = serializers.CharField()


def _theme_answer(theme: Theme, code=http.HTTP_200_OK) -> Response:
    theme = selectors.theme_get(pk=theme.pk)
    response = Response(ThemeSerializer(theme).data, status=code)
    response["ETag"] = etag_for(theme)
    return response


@extend_schema_view(list=extend_schema(parameters=[ThemeListQuery]))
class ThemeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members read themes; CX leads create, edit, merge, archive (DELETE) them."""

    serializer_class = ThemeSerializer
    permission_classes = [MembersReadCxLeadWrite]
    lookup_value_regex = r"\d+"
    queryset = Theme.objects.none()

    def get_queryset(self):
        if self.action == "list":
            query = ThemeListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            return selectors.themes_list(
                include_archived=query.validated_data["archived"]
            )
        return selectors.themes_list(include_archived=True)

    def get_serializer_context(self):
        # One count for the whole list, not one per theme.
        return {**super().get_serializer_context(), "rule_quality": rule_quality_all()}

    def retrieve(self, request, *args, **kwargs):
        return _theme_answer(self.get_object())

    def create(self, request, *args, **kwargs):
        data = ThemeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        theme = services.theme_create(**data.validated_data)
        return _theme_answer(theme, http.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        theme = self.get_object()
        check_fresh(request, theme)
        data = ThemeSerializer(
            theme, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        theme = services.theme_update(theme=theme, **data.validated_data)
        return _theme_answer(theme)

    def destroy(self, request, *args, **kwargs):
        """Archive the theme (its manual labels are kept)."""
        services.theme_archive(theme=self.get_object())
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=ThemeMergeInto, responses=ThemeSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this theme into `into`: its assignments move; answers the target."""
        source = self.get_object()
        data = ThemeMergeInto(data=request.data)
        data.is_valid(raise_exception=True)
        target = Theme.objects.filter(pk=data.validated_data["into"]).first()
        if target is None:
            raise serializers.ValidationError({"into": "No such theme."})
        return _theme_answer(services.theme_merge(source=source, target=target))

    @extend_schema(request=None, responses={202: TrainAccepted})
    @action(detail=False, methods=["post"], throttle_classes=[ExpensiveThrottle])
    def train(self, request):
        """Retrain the theme model from the manual labels (in the background)."""
        from feedback.tasks import train_themes

        send_on_commit(train_themes)
        return Response({"status": "queued"}, status=http.HTTP_202_ACCEPTED)

    @extend_schema(responses=ModelOverviewSerializer)
    @action(detail=False, methods=["get"])
    def model(self, request):
        """The applied model and the candidate waiting for a decision: measured
        quality, what the candidate would change and the top three after."""
        return Response(ModelOverviewSerializer(theme_model_overview()).data)

    def _decide(self, request, act):
        choice = ModelVersionChoice(data=request.data)
        choice.is_valid(raise_exception=True)
        try:
            act(version=choice.validated_data["version"], user=request.user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(ModelOverviewSerializer(theme_model_overview()).data)

    @extend_schema(request=ModelVersionChoice, responses=ModelOverviewSerializer)
    @action(detail=False, methods=["post"], url_path="model/accept")
    def model_accept(self, request):
        """Apply candidate `version` (400 with the reason when it cannot be)."""
        return self._decide(request, theme_candidates.candidate_accept)

    @extend_schema(request=ModelVersionChoice, responses=ModelOverviewSerializer)
    @action(detail=False, methods=["post"], url_path="model/discard")
    def model_discard(self, request):
        """Discard candidate `version`: nothing it predicted is used."""
        return self._decide(request, theme_candidates.candidate_discard)

    @extend_schema(
        methods=["get"], request=None, responses=SuggestionSerializer(many=True)
    )
    @extend_schema(
        methods=["post"],
        request=DiscoverRun,
        responses={201: SuggestionSerializer(many=True)},
    )
    @action(detail=False, methods=["get", "post"], pagination_class=None)
    def discover(self, request):
        """GET: open suggestions. POST {"k"}: propose themes for uncovered negatives."""
        if request.method == "POST":
            data = DiscoverRun(data=request.data)
            data.is_valid(raise_exception=True)
            services.theme_discovery_run(k=data.validated_data["k"])
        views = selectors.suggestions_open()
        code = http.HTTP_201_CREATED if request.method == "POST" else http.HTTP_200_OK
        return Response(SuggestionSerializer(views, many=True).data, status=code)


class SuggestionViewSet(viewsets.GenericViewSet):
    """CX leads accept (a theme is created, its examples labelled) or dismiss."""

    permission_classes = [IsCxLead]
    queryset = ThemeSuggestion.objects.all()
    serializer_class = SuggestionAccept
    lookup_value_regex = r"\d+"

    @extend_schema(request=SuggestionAccept, responses={201: ThemeSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        suggestion = self.get_object()
        data = SuggestionAccept(data=request.data)
        data.is_valid(raise_exception=True)
        theme = services.suggestion_accept(
            suggestion=suggestion, user=request.user, **data.validated_data
        )
        return _theme_answer(theme, http.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        services.suggestion_dismiss(suggestion=self.get_object())
        return Response(status=http.HTTP_204_NO_CONTENT)


# Larger ids cannot be primary keys (and overflow the database driver).
MAX_ID = 2**63 - 1


class ItemThemesSerializer(serializers.Serializer):
    themes = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=50,
        help_text="Theme ids: the item's whole manual label set ([] clears it).",
    )


class BulkLabelSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=1000,
    )
    themes = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=50
    )
    mode = serializers.ChoiceField(
        choices=list(label_services.MODES),
        default="add",
        help_text="add: keep each item's labels and add these; replace: set them.",
    )


class ItemThemeRef(serializers.Serializer):
    id = serializers.IntegerField(source="theme_id")
    name = serializers.CharField(source="theme.name")
    method = serializers.CharField()
    confidence = serializers.FloatField()


class ItemThemesAnswer(serializers.Serializer):
    id = serializers.IntegerField()
    themes = ItemThemeRef(many=True, source="theme_list")


class BulkLabelAnswer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField())


class FeedbackThemesView(APIView):
    """PUT a manual label: the item's themes become exactly the ones sent."""

    permission_classes = [IsCxLead]

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [MembersReadCxLeadWrite()]
        return [IsCxLead()]

    def _answer(self, pk: int) -> Response:
        item = selectors.feedback_item_themes(pk=pk)
        return Response(ItemThemesAnswer(item).data)

    @extend_schema(responses=ItemThemesAnswer)
    def get(self, request, pk: int):
        get_object_or_404(FeedbackItem.objects.only("pk"), pk=pk)
        return self._answer(pk)

    @extend_schema(request=ItemThemesSerializer, responses=ItemThemesAnswer)
    def put(self, request, pk: int):
        get_object_or_404(FeedbackItem.objects.only("pk"), pk=pk)
        data = ItemThemesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        label_services.labels_set(
            item_ids=[pk], theme_ids=data.validated_data["themes"], user=request.user
        )
        return self._answer(pk)


class FeedbackLabelsView(APIView):
    """CX leads: label many items at once (`mode` add, the default, or replace)."""

    permission_classes = [IsCxLead]

    @extend_schema(request=BulkLabelSerializer, responses=BulkLabelAnswer)
    def post(self, request):
        data = BulkLabelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = label_services.labels_set(
            item_ids=data.validated_data["items"],
            theme_ids=data.validated_data["themes"],
            mode=data.validated_data["mode"],
            user=request.user,
        )
        return Response({"items": result["items"]})
