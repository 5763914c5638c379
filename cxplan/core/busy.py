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


def database_busy(exc: BaseException | None) -> bool:
    """Is `exc` the database refusing a lock it could not get in time, or an
    error raised because of that (Django's sessions re-raise a failed save as
    SessionInterrupted)? Follows the chain of causes a few links deep."""
    for _link in range(5):
        if exc is None:
            return False
        if isinstance(exc, OperationalError):
            text = str(exc).lower()
            if any(busy in text for busy in _BUSY_TEXTS):
                return True
        exc = exc.__cause__ or exc.__context__
    return False
