"""Template context for every page: the unread notification count for the nav."""

from django.utils.functional import SimpleLazyObject

from cxplan.core.roles import is_member
from feedback.selectors.notifications import notifications_unread_count


def notifications(request):
    """`notifications_unread`: counted only when a template uses it (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_member(user):
        return {"notifications_unread": 0}
    return {
        "notifications_unread": SimpleLazyObject(
            lambda: notifications_unread_count(user=user)
        )
    }
