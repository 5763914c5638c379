"""Notifications API: each member reads and marks only their own (others' are 404)."""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cxplan.core.api.permissions import IsMember
from feedback.models import Notification
from feedback.selectors.notifications import (
    notifications_for,
    notifications_unread_count,
)
from feedback.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
)


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "message", "url", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationListQuery(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: unread only"
    )


@extend_schema_view(list=extend_schema(parameters=[NotificationListQuery]))
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [IsMember]
    filter_backends: list = []
    queryset = Notification.objects.none()

    def get_queryset(self):
        unread = None
        if self.action == "list":
            query = NotificationListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            unread = query.validated_data["unread"]
        return notifications_for(user=self.request.user, unread=unread)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the caller's notifications read (idempotent)."""
        notification = notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "NotificationsReadAll",
            {
                "marked": serializers.IntegerField(),
                "unread": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification of the caller read."""
        marked = notifications_mark_all_read(user=request.user)
        return Response(
            {"marked": marked, "unread": notifications_unread_count(user=request.user)}
        )
