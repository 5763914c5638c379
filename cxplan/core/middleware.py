"""Client mistakes that surface as Python errors deep down are still the client's;
a database too busy to write says "try again" (503); responses to a signed-in user
are not stored by caches."""

import logging

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_vary_headers

from cxplan.core.busy import BUSY_MESSAGE, RETRY_AFTER_SECONDS, database_busy

logger = logging.getLogger(__name__)
SESSION_BUSY_MESSAGE = (
    "The database is busy; your session could not be saved. Try again in a few seconds."
)


def busy_response(request, message: str = BUSY_MESSAGE) -> HttpResponse:
    """503 with Retry-After: JSON `{"detail"}` under /api/, plain text elsewhere."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            message, status=503, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
        return busy_response(request)


class BusySafeSessionMiddleware(SessionMiddleware):
    """Django's sessions, with the session's own save on a busy database handled.

    SESSION_SAVE_EVERY_REQUEST writes the session after every view, outside the
    view (so DatabaseBusyMiddleware never sees it fail). When only that idle
    refresh could not get the lock, the page the view made is sent anyway and
    the refresh waits for the next request; when the session really changed
    (a login), the answer is 503 with Retry-After rather than a 500."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except Exception as exc:
            if not database_busy(exc):
                raise
            session = getattr(request, "session", None)
            if session is not None and session.modified:
                return busy_response(request, SESSION_BUSY_MESSAGE)
            logger.warning(
                "database busy: %s sent without its session refresh", request.path
            )
            patch_vary_headers(response, ("Cookie",))
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
