"""Notification pages: my notifications, open one (marks it read), mark all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import members_only
from feedback.selectors.notifications import notifications_for
from feedback.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
)

PAGE_SIZE = 50


@members_only
@require_GET
def notification_list(request):
    """Every member: their own notifications, newest first, unread highlighted."""
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@members_only
@require_POST
def notification_open(request, pk: int):
    """Mark one of my notifications read and go where it points (others' are 404)."""
    notification = get_object_or_404(notifications_for(user=request.user), pk=pk)
    notification_mark_read(notification=notification)
    target = notification.url
    # Stored urls are our own paths; refuse anything that would leave the site.
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notification-list")


@members_only
@require_POST
def notification_read_all(request):
    """Mark all my notifications read."""
    marked = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{marked} marked read.")
    return redirect("notification-list")
