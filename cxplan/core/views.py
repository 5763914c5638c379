from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cxplan.core.health import health


@require_GET
@never_cache
def healthz(request):
    """Anyone (load balancers): JSON state of database, broker and workers."""
    body, status = health()
    return JsonResponse(body, status=status)
