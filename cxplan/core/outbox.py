"""The beat sweep: re-send work whose broker message may have been lost.

Each kind of long work is first written as a row (an import batch, the ranking's
inputs version, a deck). If Redis was down when the row was written, or a worker
died, the sweep finds the row still waiting and sends its task again. Tasks are
idempotent, so a duplicate send costs only a little time.

The rows belong to the apps above this one, so each app registers a sweeper for
its own rows from its `AppConfig.ready()`; the sweep calls every one of them.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

STALE_AFTER = timedelta(minutes=2)

# A sweeper takes `stale` (rows older than it have waited too long) and answers
# how many tasks it sent, by kind.
Sweeper = Callable[..., dict[str, int]]
_sweepers: dict[str, Sweeper] = {}


def outbox_register(name: str, sweeper: Sweeper) -> None:
    """Add (or replace) the sweeper called `name`; apps call it from ready()."""
    _sweepers[name] = sweeper


def outbox_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every registered sweeper; returns how many tasks each kind sent."""
    stale = (now or timezone.now()) - STALE_AFTER
    sent: dict[str, int] = {}
    for sweeper in _sweepers.values():
        for kind, count in sweeper(stale=stale).items():
            sent[kind] = sent.get(kind, 0) + count
    return sent
