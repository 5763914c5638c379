"""Enqueueing that survives a broker outage.

The work itself is always recorded first as a row (an import batch, the ranking's
inputs version, a deck build). Sending the task is an optimisation: when the broker
cannot be reached within its short timeouts we log and return, and the beat sweep
(`cxplan.tasks.sweep_outbox`) sends it later.
"""

import logging

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
