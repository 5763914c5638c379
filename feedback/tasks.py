"""Thin Celery tasks of the feedback app: they take ids and call a service.

Routing (settings.CELERY_TASK_ROUTES): `import_*` on the `imports` queue, the rest
on `analytics`. Every task is safe to run twice.
"""

from celery import shared_task


@shared_task(name="feedback.tasks.import_feedback_batch")
def import_feedback_batch(batch_id: int) -> dict:
    """Validate and import one uploaded file (an ImportBatch row)."""
    from feedback.services.imports import import_batch_run

    return import_batch_run(batch_id=batch_id)


@shared_task(name="feedback.tasks.recompute_ranking")
def recompute_ranking() -> dict:
    """Recompute the ranking if its inputs changed (serialised, newest wins),
    then rank the default window's segment and channel slices into the cache."""
    from feedback.selectors.ranking_slices import ranking_slices_warm
    from feedback.services.ranking import ranking_recompute

    outcome = ranking_recompute()
    if outcome.get("status") == "computed":
        outcome["slices_warmed"] = ranking_slices_warm()
        from cxplan.core.queue import send_on_commit

        send_on_commit(warm_drivers)
    return outcome


@shared_task(name="feedback.tasks.warm_drivers")
def warm_drivers() -> int:
    """Compute the drivers of each metric into the cache (new data came in)."""
    from feedback.selectors.drivers import drivers_warm

    return drivers_warm()


@shared_task(name="feedback.tasks.train_themes")
def train_themes() -> dict:
    """Retrain the theme model from the manual labels and predict unlabelled items."""
    from feedback.services.theme_model import theme_model_train

    return theme_model_train()


@shared_task(name="feedback.tasks.apply_theme_model", bind=True, max_retries=20)
def apply_theme_model(self, version: int) -> dict:
    """Replace the model assignments by accepted model `version`'s predictions."""
    from feedback.services.theme_model import theme_model_apply

    outcome = theme_model_apply(version=version)
    if outcome["status"] == "busy":
        raise self.retry(countdown=15)
    return outcome


@shared_task(name="feedback.tasks.sweep_import_uploads")
def sweep_import_uploads() -> int:
    """Delete stored uploads past CXPLAN_IMPORT_UPLOAD_KEEP_HOURS (beat, hourly)."""
    from feedback.services.import_files import import_uploads_sweep

    return import_uploads_sweep()


@shared_task(name="feedback.tasks.learn_evidence_words")
def learn_evidence_words() -> dict:
    """Learn the evidence check's related words from the current feedback."""
    from feedback.services.evidence_words import evidence_words_learn

    return evidence_words_learn()


@shared_task(name="feedback.tasks.detect_alerts")
def detect_alerts() -> dict:
    """Find themes whose weekly volume or sentiment stands out; tell CX leads."""
    from feedback.services.alerts import alerts_recompute

    return alerts_recompute()


@shared_task(name="feedback.tasks.poll_import_sources")
def poll_import_sources() -> dict:
    """Import new files of the watched folders and changed configured URLs."""
    from feedback.services.import_sources import import_sources_poll

    return import_sources_poll()
