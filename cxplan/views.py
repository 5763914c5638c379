from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cxplan.access import members_only
from cxplan.dashboard import dashboard_summary
from cxplan.health import health


@require_GET
@never_cache
def healthz(request):
    """Anyone (load balancers): JSON state of database, broker and workers."""
    body, status = health()
    return JsonResponse(body, status=status)


@require_GET
@members_only
def dashboard(request):
    """Every role: the answer at a glance."""
    return render(request, "dashboard.html", {"summary": dashboard_summary()})
