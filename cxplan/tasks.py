"""The beat sweep: re-send work whose broker message may have been lost.

Each kind of long work is first written as a row (an import batch, the ranking's
inputs version, a deck). If Redis was down when the row was written, or a worker
died, the sweep finds the row still waiting and sends its task again. Tasks are
idempotent, so a duplicate send costs only a little time.
"""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from cxplan.queue import send

STALE_AFTER = timedelta(minutes=2)


def outbox_sweep(*, now=None) -> dict[str, int]:
    """Send the tasks of rows that still wait; returns how many of each kind."""
    from cxplan.deck.models import Deck
    from feedback.models import ImportBatch
    from feedback.services.ranking_state import ranking_running, ranking_state_get
    from feedback.tasks import import_feedback_batch, recompute_ranking

    now = now or timezone.now()
    stale = now - STALE_AFTER
    sent = {"imports": 0, "ranking": 0, "decks": 0, "themes": 0}
    waiting = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, created_at__lt=stale
    ).values_list("pk", flat=True)
    for batch_id in waiting:
        sent["imports"] += send(import_feedback_batch, batch_id)
    state = ranking_state_get()
    if state.dirty and not ranking_running(state):
        sent["ranking"] += send(recompute_ranking)
    sent["themes"] += _sweep_theme_training(stale=stale)
    decks = Deck.objects.filter(
        status=Deck.Status.PENDING, created_at__lt=stale
    ).values_list("pk", flat=True)
    if decks:
        try:
            from cxplan.deck.tasks import build_deck
        except ImportError:  # the deck builder is not installed yet
            build_deck = None
        for deck_id in decks if build_deck else ():
            sent["decks"] += send(build_deck, deck_id)
    return sent


def _sweep_theme_training(*, stale) -> int:
    """Labels newer than the newest model (and older than a couple of minutes, so
    the debounced task had its chance) mean a training message was lost."""
    from django.db.models import Max

    from feedback.models import ThemeAssignment, ThemeModelVersion
    from feedback.tasks import train_themes

    newest_label = ThemeAssignment.objects.filter(
        method=ThemeAssignment.Method.MANUAL
    ).aggregate(at=Max("created_at"))["at"]
    if newest_label is None or newest_label >= stale:
        return 0
    newest_model = ThemeModelVersion.objects.aggregate(at=Max("created_at"))["at"]
    if newest_model is not None and newest_model >= newest_label:
        return 0
    return int(send(train_themes))


@shared_task(name="cxplan.tasks.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    return outbox_sweep()
