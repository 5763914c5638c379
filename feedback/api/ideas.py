"""Ideas API: CRUD for members (authors edit while new), votes, comments, triage.

Routes (router prefix `ideas`): list/create, retrieve/update, `vote` (POST adds,
DELETE removes), `comments` (GET, POST), `customers` (POST: who raised it, its
author or a CX lead), and for CX leads `merge`. A create answers the likely
duplicates among the open ideas (`possible_duplicates`: ids, best first). The CX leads'
`status` and `links` take initiatives, so they live in initiatives.api.idea_links
(same paths). There is no DELETE of an idea: declining keeps the history.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from cxplan.core.api.concurrency import check_fresh, etag_for
from cxplan.core.api.permissions import IsCxLead, IsMember
from cxplan.core.visibility import hidden_for, may_see, withhold
from feedback.models import Idea, IdeaComment
from feedback.selectors import ideas as selectors
from feedback.selectors.idea_duplicates import idea_duplicates
from feedback.selectors.idea_value import ORDERINGS, REVENUE_ORDERINGS
from feedback.services import idea_customers
from feedback.services import idea_triage as triage
from feedback.services import ideas as services

# Ids above the databases' integer range are a client error, not a crash.
MAX_ID = 2**31 - 1


class IdeaThemeRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class IdeaInitiativeRef(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()


class IdeaAuthorRef(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class IdeaSerializer(serializers.ModelSerializer):
    """An idea. Status, votes, links and author are read-only here: they change
    only through the workflow actions, so sending them in a create or an edit
    changes nothing. `evidence_customer_ref` (customer identity) is null except
    for its author and the roles cxplan.core.visibility names. `customers`
    counts the distinct customers behind it (attached, or of attached feedback
    items); `customer_revenue`, their summed annual revenue, is null except for
    the roles cxplan.core.visibility names."""

    votes = serializers.IntegerField(source="vote_count", read_only=True)
    voted = serializers.BooleanField(read_only=True, default=False)
    author = IdeaAuthorRef(read_only=True)
    themes = IdeaThemeRef(many=True, read_only=True)
    initiatives = IdeaInitiativeRef(many=True, read_only=True)
    comment_count = serializers.IntegerField(read_only=True, default=0)
    customers = serializers.IntegerField(
        source="customer_count", read_only=True, default=0
    )
    customer_revenue = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        default=None,
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "body",
            "suggested_fix",
            "evidence_customer_ref",
            "evidence_frequency",
            "status",
            "decline_reason",
            "themes",
            "initiatives",
            "votes",
            "voted",
            "comment_count",
            "customers",
            "customer_revenue",
            "author",
            "merged_into",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "decline_reason",
            "merged_into",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "body": {"help_text": "What customers experience."},
            "suggested_fix": {"required": False},
            # Null for the roles that may not see it (cxplan.core.visibility).
            "evidence_customer_ref": {"allow_null": True},
        }

    def validate_evidence_customer_ref(self, value):
        # Null reads as "none given" (the answers carry null for hidden refs).
        return value or ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            hidden = hidden_for(request.user, author=instance.author_id)
            data = withhold(data, hidden)
        return data


class IdeaListQuery(serializers.Serializer):
    theme = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=Idea.Status.choices, required=False)
    sort = serializers.ChoiceField(
        choices=list(selectors.SORTS), required=False, default="newest"
    )
    mine = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, default="", max_length=200)
    include_merged = serializers.BooleanField(required=False, default=False)
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS),
        required=False,
        help_text="Wins over `sort`. customer_revenue and -customer_revenue are "
        "for CX leads and executives (400 for others: the order would tell "
        "the revenue).",
    )


class IdeaVoteState(serializers.Serializer):
    votes = serializers.IntegerField()
    voted = serializers.BooleanField()


class IdeaCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = IdeaComment
        fields = ["id", "idea", "author", "body", "created_at"]
        read_only_fields = ["id", "idea", "author", "created_at"]


class IdeaCreated(IdeaSerializer):
    possible_duplicates = serializers.ListField(
        child=serializers.IntegerField(), read_only=True
    )

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "possible_duplicates"]


class IdeaCustomersInput(serializers.Serializer):
    """Any of the three; a list given replaces what was attached (customers
    by id and by external id together), one left out stays."""

    customers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    customer_external_ids = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False
    )
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


class IdeaMergeInto(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The idea to keep.")


@extend_schema_view(list=extend_schema(parameters=[IdeaListQuery]))
class IdeaViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Every member lists, reads, submits, votes and comments. Authors edit their
    own ideas while `new` (403 otherwise); CX leads triage (403 for others)."""

    serializer_class = IdeaSerializer
    permission_classes = [IsMember]
    filter_backends: list = []
    queryset = Idea.objects.none()

    def get_permissions(self):
        if self.action == "merge":
            return [IsCxLead()]
        return super().get_permissions()

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            query = IdeaListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            p = query.validated_data
            if p.get("ordering") in REVENUE_ORDERINGS and not may_see(
                user, "customer_revenue"
            ):
                raise ValidationError(
                    {
                        "ordering": "Ordering by customer revenue is for CX leads "
                        "and executives."
                    }
                )
            return selectors.ideas_list(
                user=user,
                theme=p.get("theme"),
                status=p.get("status"),
                sort=p["sort"],
                author=user if p["mine"] else None,
                q=p["q"],
                include_merged=p["include_merged"] or p["mine"],
                ordering=p.get("ordering"),
            )
        return selectors.ideas_annotated(user=user)

    def _fresh(self, pk) -> Idea:
        return selectors.idea_get(user=self.request.user, pk=pk)

    def _answer(self, idea: Idea, code=http.HTTP_200_OK) -> Response:
        idea = self._fresh(idea.pk)
        response = Response(self.get_serializer(idea).data, status=code)
        response["ETag"] = etag_for(idea)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(responses={201: IdeaCreated})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        idea = services.idea_create(author=request.user, **serializer.validated_data)
        response = self._answer(idea, http.HTTP_201_CREATED)
        found = idea_duplicates(title=idea.title, body=idea.body, exclude_id=idea.pk)
        response.data["possible_duplicates"] = [d.id for d in found]
        return response

    def update(self, request, *args, **kwargs):
        idea = self.get_object()
        # Refuse before validating: whoever may not edit learns that first.
        if not services.idea_can_edit(idea=idea, user=request.user):
            if idea.author_id != request.user.pk:
                raise PermissionDenied("Only the author may edit an idea.")
            raise PermissionDenied("Triage has started: the idea is frozen.")
        serializer = self.get_serializer(
            idea, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        check_fresh(request, idea)
        idea = services.idea_update(
            idea=idea, user=request.user, **serializer.validated_data
        )
        return self._answer(idea)

    @extend_schema(
        request=None, responses={200: IdeaVoteState}, methods=["POST", "DELETE"]
    )
    @action(detail=True, methods=["post", "delete"])
    def vote(self, request, pk=None):
        """POST adds the caller's vote, DELETE removes it; both are idempotent."""
        idea = self.get_object()
        if request.method == "DELETE":
            state = services.idea_unvote(idea=idea, user=request.user)
        else:
            state = services.idea_vote(idea=idea, user=request.user)
        return Response({"votes": state.votes, "voted": state.voted})

    @extend_schema(
        methods=["GET"], request=None, responses=IdeaCommentSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        request=IdeaCommentSerializer,
        responses={201: IdeaCommentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        """Every member reads and adds comments."""
        idea = self.get_object()
        if request.method == "GET":
            comments = selectors.idea_comments(idea=idea)
            return Response(IdeaCommentSerializer(comments, many=True).data)
        data = IdeaCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.idea_comment_create(
            idea=idea, author=request.user, body=data.validated_data["body"]
        )
        return Response(IdeaCommentSerializer(comment).data, status=201)

    @extend_schema(request=IdeaCustomersInput, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def customers(self, request, pk=None):
        """Its author or a CX lead: who raised the idea (403 for others)."""
        idea = self.get_object()
        if not idea_customers.idea_customers_can_set(idea=idea, user=request.user):
            raise PermissionDenied("Only its author or a CX lead may do this.")
        data = IdeaCustomersInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        idea = idea_customers.idea_customers_set(
            idea=idea,
            user=request.user,
            customer_ids=given.get("customers"),
            customer_external_ids=given.get("customer_external_ids"),
            item_ids=given.get("items"),
        )
        return self._answer(idea)

    @extend_schema(request=IdeaMergeInto, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """CX leads: merge this (duplicate) idea into `into`; answers the target."""
        source = self.get_object()
        data = IdeaMergeInto(data=request.data)
        data.is_valid(raise_exception=True)
        target = Idea.objects.filter(pk=data.validated_data["into"]).first()
        if target is None:
            raise serializers.ValidationError({"into": "No such idea."})
        target = triage.idea_merge(source=source, target=target, user=request.user)
        return self._answer(target)
