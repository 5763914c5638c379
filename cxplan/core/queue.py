"""Enqueueing that survives a broker outage.

The work itself is always recorded first as a row (an import batch, the ranking's
inputs version, a deck build). Sending the task is an optimisation: when the broker
cannot be reached within its short timeouts we log and return, and the beat sweep
(`cxplan.tasks.sweep_outbox`) sends it later.
"""

import logging
from contextlib import suppress

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def send(task, *args, countdown: float | None = None, **kwargs) -> bool:
    """Send a task now; return False (never raise) when the broker is unreachable.

    `countdown` delays it (a debounce); eager mode runs it at once.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
    except Exception as exc:  # broker down, timeouts, connection refused
        if getattr(task.app.conf, "task_always_eager", False):
            raise
        logger.warning("could not enqueue %s now (%s); the sweep will", task.name, exc)
        return False
    return True


def send_on_commit(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits (now if none is open)."""
    transaction.on_commit(lambda: send(task, *args, **kwargs))


def send_debounced(task, *, key: str, countdown: float, hold: float) -> bool:
    """Send `task` `countdown` seconds from now, once per burst of calls.

    The first call adds `key` to the cache (kept at most `hold` seconds) and
    sends; calls while the key is there send nothing: their change rides along,
    because the task deletes `key` when it starts. Call it on commit. With the
    cache or the broker unreachable (they share Redis) it logs and returns, and
    the key is dropped: the beat sweep sends the work. Returns True when this
    call sent the task.
    """
    try:
        queued = cache.add(key, 1, timeout=hold)
    except Exception:  # the cache shares Redis with the broker; the sweep sends it
        logger.warning("cache unreachable: %s not debounced; the sweep will", task.name)
        return False
    if not queued:
        return False
    if send(task, countdown=countdown):
        return True
    with suppress(Exception):
        cache.delete(key)
    return False
