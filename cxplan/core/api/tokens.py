"""A member's own API tokens: list them, revoke one. The rules are in
cxplan/core/tokens.py; the header check in cxplan/core/api/authentication.py."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsMember
from cxplan.core.models import ApiToken
from cxplan.core.tokens import token_revoke, tokens_for


class ApiTokenSerializer(serializers.ModelSerializer):
    revoked = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiTokenListView(ListAPIView):
    """Members: their own tokens, newest first (never the keys)."""

    permission_classes = [IsMember]
    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no user
            return ApiToken.objects.none()
        return tokens_for(user=self.request.user)


class ApiTokenDetailView(APIView):
    """Members: revoke one of their own tokens; anyone else's id is a 404."""

    permission_classes = [IsMember]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        if not token_revoke(user=request.user, token_id=pk):
            raise exceptions.NotFound("No such token.")
        return Response(status=status.HTTP_204_NO_CONTENT)
