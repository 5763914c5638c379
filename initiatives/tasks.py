"""Thin Celery tasks of the initiatives app; they call a service.

Routing (settings.CELERY_TASK_ROUTES): `initiatives.tasks.*` on `analytics`.
Both take nothing, because what they do is read from the rows (business cases
computed with an old assumption set, the newest ranking), so they are safe to
run twice. A run that finds the other holding the lock sends itself again a
little later, so the newest change always gets its run.
"""

from celery import shared_task

BUSY_RETRY_SECONDS = 10


def _again_if_busy(task, outcome: dict) -> dict:
    if outcome["status"] == "busy":
        from cxplan.core.queue import send

        send(task, countdown=BUSY_RETRY_SECONDS)
    return outcome


@shared_task(name="initiatives.tasks.recompute_business_cases")
def recompute_business_cases() -> dict:
    """Recompute every business case computed with other than the current
    assumptions (after they changed): Monte Carlo included, so minutes, not ms."""
    from initiatives.services.results import initiatives_results_refresh

    return _again_if_busy(recompute_business_cases, initiatives_results_refresh())


@shared_task(name="initiatives.tasks.refresh_evidence")
def refresh_evidence() -> dict:
    """Refresh the evidence numbers of every initiative from the newest ranking."""
    from initiatives.services.results import initiatives_evidence_refresh_locked

    return _again_if_busy(refresh_evidence, initiatives_evidence_refresh_locked())


@shared_task(name="initiatives.tasks.notify_measured_results")
def notify_measured_results() -> dict:
    """Daily (beat): tell the people behind the ideas of each shipped initiative
    its measured effect, once each (initiatives.services.idea_loop)."""
    from initiatives.services.idea_loop import initiatives_results_notify

    return initiatives_results_notify()
