"""Per-user rate limits on the endpoints that start expensive work.

`ExpensiveThrottle` counts each user's calls (an anonymous caller by address) to
the endpoints that set it, together: an ROI evaluation with its Monte Carlo, a
ranking recompute, a theme training, a deck build and an import. The rate is
`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["expensive"]` (default 30/min, env
CXPLAN_EXPENSIVE_RATE), read at each request so a changed setting takes effect.
The history is kept in the default cache (Redis when REDIS_URL is set, so every
process shares it). Past the rate the answer is 429 with Retry-After, in the API's
error shape (cxplan.core.api.errors). A cache that does not answer lets the call
through: the work it asks for waits in its outbox row, and an outage of Redis
must not refuse it.
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

logger = logging.getLogger(__name__)
DEFAULT_RATE = "30/min"


class ExpensiveThrottle(UserRateThrottle):
    scope = "expensive"

    def get_rate(self):
        # DRF reads the rates once at import; read them at each request instead.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, DEFAULT_RATE)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down or hangs: fail open
            logger.warning("throttle cache unavailable; request let through")
            return True
