from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from cxplan.core.tokens import token_create


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)


class TokenThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenView(APIView):
    """Exchange a username and password for a new named API token, shown this
    once. Anyone may call it."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequest,
        responses={
            200: inline_serializer(
                "TokenAnswer",
                {
                    "token": serializers.CharField(),
                    "id": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            )
        },
    )
    def post(self, request):
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response(
                {
                    "errors": [
                        {"field": "password", "message": "Wrong username or password."}
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        new = token_create(user=user, name=data.validated_data.get("name", ""))
        return Response(
            {
                "token": new.key,
                "id": new.token.pk,
                "name": new.token.name,
                "expires_at": new.token.expires_at,
            }
        )
