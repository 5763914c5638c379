"""Reads of notifications. A user only ever sees their own."""

from django.db.models import QuerySet

from feedback.models import Notification


def notifications_for(*, user, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, newest first; `unread` True/False filters them."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs


def notifications_unread_count(*, user) -> int:
    """How many of the user's notifications are unread (one indexed COUNT)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
