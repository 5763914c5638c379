"""The alerts page: weeks in which a theme's volume or sentiment stood out.
Members read; CX leads dismiss a false alarm."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import members_only, roles_required
from cxplan.core.roles import CX_LEAD
from feedback.models import Alert
from feedback.services import alerts as services

SHOWN = 100


@require_GET
@members_only
def alert_list(request):
    alerts = services.alerts_list(undismissed_first=True)[:SHOWN]
    return render(request, "alerts/list.html", {"alerts": alerts})


@roles_required(CX_LEAD)
@require_POST
def alert_dismiss(request, pk: int):
    alert = get_object_or_404(Alert, pk=pk)
    services.alert_dismiss(alert=alert, user=request.user)
    messages.success(request, "Dismissed: it will not be raised again.")
    return redirect("alert-list")
