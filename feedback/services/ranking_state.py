"""The ranking's dirty flag: writers bump the inputs version in their transaction."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cxplan.core.locks import advisory_lock_held
from cxplan.core.queue import send_debounced
from feedback.models import RankingState


def ranking_state_get() -> RankingState:
    """The single RankingState row, created on first use."""
    state = RankingState.objects.order_by("pk").first()
    if state is None:
        state, _ = RankingState.objects.get_or_create(pk=1)
    return state


def ranking_mark_dirty(*, enqueue: bool = True) -> None:
    """Record that ranking inputs changed, then (on commit) ask for a recompute.

    The bump is a row update in the caller's transaction, so a lost broker message
    loses nothing: the beat sweep recomputes any state whose inputs are newer.
    """
    state = ranking_state_get()
    RankingState.objects.filter(pk=state.pk).update(
        inputs_version=F("inputs_version") + 1, requested_at=timezone.now()
    )
    if enqueue:
        transaction.on_commit(_enqueue_debounced)


DEBOUNCE_SECONDS = 3
QUEUED_KEY = "cxplan:ranking:queued"


def _enqueue_debounced() -> None:
    """One recompute per burst of changes, DEBOUNCE_SECONDS after the first."""
    from feedback.tasks import recompute_ranking

    send_debounced(
        recompute_ranking,
        key=QUEUED_KEY,
        countdown=DEBOUNCE_SECONDS,
        hold=DEBOUNCE_SECONDS * 20,
    )


STALE_RUN = timedelta(hours=1)


def ranking_running(state: RankingState | None = None) -> bool:
    """Is a recompute running now? On PostgreSQL the advisory lock says so (a
    killed worker's lock is gone at once); elsewhere `running_since`, trusted
    for an hour."""
    from feedback.services.ranking import LOCK_KEY

    held = advisory_lock_held(LOCK_KEY)
    if held is not None:
        return held
    state = state or ranking_state_get()
    since = state.running_since
    return since is not None and since > timezone.now() - STALE_RUN


def inputs_key(state: RankingState | None = None) -> str:
    """The ranking inputs' version as a cache-key part: the inputs version and
    when it was last bumped (so a database reset that numbers versions again
    never meets an old entry). Every change of items, labels, keywords,
    themes or weights moves it. Without `state`, one query that never
    creates the row."""
    if state is None:
        row = (
            RankingState.objects.order_by("pk")
            .values_list("inputs_version", "requested_at")
            .first()
        )
        if row is None:
            return "0"
        version, requested = row
    else:
        version, requested = state.inputs_version, state.requested_at
    return f"{version}.{requested.timestamp() if requested else 0}"
