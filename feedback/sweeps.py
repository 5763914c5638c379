"""Feedback's rows for the outbox sweep: imports, the ranking, theme training."""

from django.db.models import Max

from cxplan.core.queue import send
from feedback.models import ImportBatch, ThemeAssignment, ThemeModelVersion
from feedback.services.ranking_state import ranking_running, ranking_state_get
from feedback.tasks import import_feedback_batch, recompute_ranking, train_themes


def feedback_sweep(*, stale) -> dict[str, int]:
    """Send the tasks of feedback rows that still wait; counts by kind."""
    sent = {"imports": 0, "ranking": 0, "themes": 0}
    waiting = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, created_at__lt=stale
    ).values_list("pk", flat=True)
    for batch_id in waiting:
        sent["imports"] += send(import_feedback_batch, batch_id)
    state = ranking_state_get()
    if state.dirty and not ranking_running(state):
        sent["ranking"] += send(recompute_ranking)
    sent["themes"] += _sweep_theme_training(stale=stale)
    return sent


def _sweep_theme_training(*, stale) -> int:
    """Labels newer than the newest model (and older than a couple of minutes, so
    the debounced task had its chance) mean a training message was lost."""
    newest_label = ThemeAssignment.objects.filter(
        method=ThemeAssignment.Method.MANUAL
    ).aggregate(at=Max("created_at"))["at"]
    if newest_label is None or newest_label >= stale:
        return 0
    newest_model = ThemeModelVersion.objects.aggregate(at=Max("created_at"))["at"]
    if newest_model is not None and newest_model >= newest_label:
        return 0
    return int(send(train_themes))
