"""Training the learned theme model from manual labels, and its predictions.

`theme_model_train` is what the `train_themes` task and command run: it reads the
manual labels of active themes, trains `feedback.themes.model` and stores a
*candidate* ThemeModelVersion (label counts, cross-validated quality, the
serialised model, its diff against the applied model). Only an accepted model
(`theme_candidates`) replaces the `model` assignments of unlabelled items by the
themes it predicts above each theme's calibrated threshold. Rules outrank the
model on the same (item, theme); items with manual labels get no model
assignment.

Label changes call `theme_training_schedule`: one debounced task per burst.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cxplan.core.locks import advisory_lock
from cxplan.core.queue import send_debounced
from feedback.models import FeedbackItem, Theme, ThemeAssignment, ThemeModelVersion
from feedback.services import theme_candidates as candidates
from feedback.services.ranking_state import ranking_mark_dirty
from feedback.themes import model as theme_model
from feedback.themes.fitting import TrainSettings

logger = logging.getLogger(__name__)

M = ThemeAssignment.Method
CHUNK = 5000
DEBOUNCE_SECONDS = 10
QUEUED_KEY = "cxplan:themes:train-queued"
LOCK_KEY = "cxplan:themes:train-lock"
LOCK_TIMEOUT = 30 * 60
PG_LOCK_KEY = 0x7E3E_0004  # distinct from the ranking's advisory lock
# The labelling queue keeps this many of the least sure items per model version.
QUEUE_KEEP = 1000
QUEUE_SCORE_ITEMS = 5000
QUEUE_CACHE_SECONDS = 24 * 3600
# The newest unlabelled texts offered to training (it samples its own pool).
POOL_MAX = 20_000


def queue_cache_key(version: int) -> str:
    return f"cxplan:themes:queue:v{version}"


def _training_lock():
    """A context manager yielding True when this process may train: a
    PostgreSQL session advisory lock (freed by the database if the worker
    dies), a cache lock elsewhere."""
    return advisory_lock(
        PG_LOCK_KEY, fallback_key=LOCK_KEY, fallback_timeout=LOCK_TIMEOUT
    )


def theme_training_schedule() -> None:
    """Ask for a retrain once the current transaction commits, debounced.

    The first label change of a burst sends the task DEBOUNCE_SECONDS later;
    changes while it waits ride along (the task clears the key when it starts).
    """
    transaction.on_commit(_enqueue_debounced)


def _enqueue_debounced() -> None:
    """One training per burst of label changes, DEBOUNCE_SECONDS after the first."""
    from feedback.tasks import train_themes

    send_debounced(
        train_themes,
        key=QUEUED_KEY,
        countdown=DEBOUNCE_SECONDS,
        hold=DEBOUNCE_SECONDS * 30,
    )


def manual_labels() -> tuple[list[int], list[str], list[list[int]]]:
    """(item ids, texts, theme ids per item) of every manually labelled item.

    Only active themes count; items are ordered by id so training is repeatable.
    """
    rows = (
        ThemeAssignment.objects.filter(method=M.MANUAL, theme__is_active=True)
        .order_by("item_id", "theme_id")
        .values_list("item_id", "theme_id", "item__text")
    )
    ids: list[int] = []
    texts: list[str] = []
    labels: list[list[int]] = []
    for item_id, theme_id, text in rows.iterator(chunk_size=CHUNK):
        if not ids or ids[-1] != item_id:
            ids.append(item_id)
            texts.append(text)
            labels.append([])
        labels[-1].append(theme_id)
    return ids, texts, labels


def _unlabelled_ids() -> list[int]:
    manual = ThemeAssignment.objects.filter(method=M.MANUAL).values("item_id")
    return list(
        FeedbackItem.objects.exclude(pk__in=manual)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _next_version() -> int:
    top = ThemeModelVersion.objects.aggregate(v=Max("version"))["v"]
    return (top or 0) + 1


def _new_version_row() -> ThemeModelVersion:
    for _ in range(3):
        try:
            with transaction.atomic():
                return ThemeModelVersion.objects.create(version=_next_version())
        except IntegrityError:  # another run took the number first
            continue
    raise RuntimeError("could not allocate a theme model version")


def theme_model_latest(*, ready_only: bool = True) -> ThemeModelVersion | None:
    """The newest stored model version (the newest ready one by default)."""
    versions = ThemeModelVersion.objects.defer("blob")
    if ready_only:
        versions = versions.filter(status=ThemeModelVersion.Status.READY)
    return versions.order_by("-version").first()


def theme_model_load(*, version: ThemeModelVersion) -> theme_model.ThemeModel:
    """Rebuild the pure model stored in a version row."""
    blob = ThemeModelVersion.objects.values_list("blob", flat=True).get(pk=version.pk)
    return theme_model.ThemeModel.from_bytes(bytes(blob))


def queue_order_build(
    *, model: theme_model.ThemeModel, version: int
) -> list[tuple[float, int]]:
    """Score the newest unlabelled items by uncertainty and cache the order.

    Returns [(uncertainty, item id)], least sure first, at most QUEUE_KEEP of
    them. Only the QUEUE_SCORE_ITEMS newest items are scored: a labelling
    session never gets through more, and scoring all 100,000 would double the
    cost of a training run.
    """
    manual = ThemeAssignment.objects.filter(method=M.MANUAL).values("item_id")
    rows = list(
        FeedbackItem.objects.exclude(pk__in=manual)
        .order_by("-created", "-pk")
        .values_list("pk", "text")[:QUEUE_SCORE_ITEMS]
    )
    order: list[tuple[float, int]] = []
    if rows:
        unsure = theme_model.uncertainty(model, [text for _, text in rows])
        order = sorted(
            zip(unsure.tolist(), [pk for pk, _ in rows], strict=True),
            key=lambda q: (-q[0], q[1]),
        )[:QUEUE_KEEP]
    cache.set(queue_cache_key(version), order, QUEUE_CACHE_SECONDS)
    return order


def _fail(row: ThemeModelVersion, message: str, started: float) -> dict:
    """A failed run is never a candidate: the one waiting, if any, stays."""
    row.status = ThemeModelVersion.Status.FAILED
    row.state = ThemeModelVersion.State.DISCARDED
    row.error = message
    row.trained_at = timezone.now()
    row.save(update_fields=["status", "state", "error", "trained_at"])
    return {
        "status": str(row.status),
        "version": row.version,
        "error": message,
        "duration_ms": int((time.perf_counter() - started) * 1000),
    }


def _settings() -> TrainSettings:
    target = float(getattr(settings, "CXPLAN_THEME_PRECISION_TARGET", 0.8))
    return TrainSettings(precision_target=target)


def _candidate_fields(row: ThemeModelVersion, result) -> None:
    """Store a trained candidate; older undecided candidates are superseded."""
    ThemeModelVersion.objects.filter(state=ThemeModelVersion.State.CANDIDATE).exclude(
        pk=row.pk
    ).update(state=ThemeModelVersion.State.SUPERSEDED)
    row.status = ThemeModelVersion.Status.READY
    row.state = ThemeModelVersion.State.CANDIDATE
    row.trained_at = timezone.now()
    row.labels = result.model.labels
    row.label_counts = {str(k): v for k, v in result.label_counts.items()}
    row.cv_macro_f1 = result.cv_macro_f1
    measured = result.quality
    row.per_theme = [q.as_dict() for q in measured.per_theme] if measured else []
    interval = measured.macro_f1_ci if measured else None
    row.macro_f1_ci = list(interval) if interval else None
    row.blob = result.model.to_bytes()
    row.error = "\n".join(result.notes)
    row.save()


def theme_model_train(*, seed: int = 0) -> dict:
    """Train on the manual labels and store a *candidate* version.

    The candidate carries its cross-validated quality, its diff against the
    applied model and the top three it would produce; it is applied only when
    `theme_candidates.acceptance` says it may be accepted automatically,
    otherwise it waits for a CX lead. Returns a dict: `status` (ready, failed or
    busy), `version`, `state` (candidate or applied), `reason` (why it waits),
    `cv_macro_f1`, `label_counts` ({theme id: labelled items}), `labelled`,
    `predicted` (model assignments written: 0 unless applied), `train_ms`,
    `predict_ms` and `duration_ms`. With labels for fewer than two themes the
    version is stored as failed with the reason. Only one training runs at a
    time; a request arriving meanwhile is sent again after the debounce.
    """
    cache.delete(QUEUED_KEY)
    started = time.perf_counter()
    with _training_lock() as got:
        if not got:
            theme_training_schedule()
            return {"status": "busy"}
        row = _new_version_row()
        ids, texts, labels = manual_labels()
        unlabelled = _unlabelled_ids()
        pool = list(
            FeedbackItem.objects.exclude(
                pk__in=ThemeAssignment.objects.filter(method=M.MANUAL).values("item_id")
            )
            .order_by("-pk")
            .values_list("text", flat=True)[:POOL_MAX]
        )
        keywords = dict(
            Theme.objects.filter(is_active=True).values_list("pk", "keywords")
        )
        try:
            result = theme_model.train(
                texts,
                labels,
                keywords=keywords,
                unlabelled=pool,
                seed=seed,
                settings=_settings(),
            )
        except ValueError as exc:
            return _fail(row, str(exc), started)
        except Exception as exc:  # stored for the user; re-raised for the logs
            _fail(row, f"training failed: {exc}", started)
            raise
        trained = time.perf_counter()
        _candidate_fields(row, result)
        chunks = list(candidates.predictions(result.model, unlabelled))
        candidates.candidate_evaluate(row, chunks)
        verdict = candidates.acceptance(row)
        written = 0
        if verdict.automatic:
            written = candidates.candidate_accept_automatically(row, chunks)
        predicted = time.perf_counter()
        queue_order_build(model=result.model, version=row.version)
    logger.info(
        "theme model v%s trained on %s labelled items: %s",
        row.version,
        len(ids),
        row.state,
    )
    return {
        "status": str(row.status),
        "version": row.version,
        "state": str(row.state),
        "reason": verdict.reason,
        "cv_macro_f1": row.cv_macro_f1,
        "label_counts": result.label_counts,
        "labelled": len(ids),
        "predicted": written,
        "train_ms": int((trained - started) * 1000),
        "predict_ms": int((predicted - trained) * 1000),
        "duration_ms": int((time.perf_counter() - started) * 1000),
    }


def theme_model_apply(*, version: int) -> dict:
    """Replace the model assignments by the predictions of accepted `version`
    (the task a CX lead's acceptance sends). Does nothing when another version
    has been applied since; sent again when a training holds the lock."""
    with _training_lock() as got:
        if not got:
            return {"status": "busy"}
        row = candidates.theme_model_applied()
        if row is None or row.version != version:
            return {"status": "stale", "version": version}
        model = theme_model_load(version=row)
        with transaction.atomic():
            written = candidates.predictions_store(
                candidates.predictions(model, _unlabelled_ids())
            )
            ranking_mark_dirty()
    return {"status": "applied", "version": version, "predicted": written}
