"""A database too busy to take a write is a "try again", not a server error.

On SQLite one writer at a time holds the lock; a writer that waited the busy
timeout (settings: SQLITE_BUSY_SECONDS) for it gets OperationalError "database
is locked". Nothing was written, so the client may simply send it again: the
request answers 503 with Retry-After (pages in cxplan.core.middleware, the API
in cxplan.core.api.errors).
"""

from django.db.utils import OperationalError

RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = "The database is busy; nothing was saved. Try again in a few seconds."
_BUSY_TEXTS = ("database is locked", "database table is locked")


def database_busy(exc: BaseException) -> bool:
    """Is `exc` the database refusing a lock it could not get in time?"""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(busy in text for busy in _BUSY_TEXTS)
