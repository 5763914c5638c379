"""Client mistakes that surface as Python errors deep down are still the client's;
a database too busy to write says "try again" (503); responses to a signed-in user
are not stored by caches."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse

from cxplan.core.busy import BUSY_MESSAGE, RETRY_AFTER_SECONDS, database_busy


class OutOfRangeMiddleware:
    """A page id like /ideas/99999999999999999999/ overflows the database's
    integers; answer 400 instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return HttpResponseBadRequest("A number in the address is out of range.")
        return None


class DatabaseBusyMiddleware:
    """A write that could not get the database's lock in time (SQLite's
    "database is locked") answers 503 with Retry-After instead of a 500:
    nothing was written, the same request may be sent again. The API's views
    answer it in their exception handler; this covers the pages and anything
    under /api/ that is not a DRF view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": BUSY_MESSAGE}, status=503)
        else:
            response = HttpResponse(
                BUSY_MESSAGE, status=503, content_type="text/plain; charset=utf-8"
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class NoStoreForSignedInMiddleware:
    """Responses to a signed-in user (session or API token) carry
    `Cache-Control: no-store`, unless the view set a Cache-Control of its own.

    Pages and API answers hold customer names, revenue and decisions: a shared
    proxy or the browser's disk cache must not keep them after a logout (ASVS
    8.2.1). Static files keep their long cache: WhiteNoise answers them before
    this runs, and the STATIC_URL check covers Django serving them itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.path.startswith(settings.STATIC_URL):
            return response
        # Read after the view: DRF sets request.user once a token authenticates.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
