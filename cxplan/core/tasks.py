"""The shared base's Celery tasks: the health ping and the outbox sweep."""

from celery import shared_task

from cxplan.core.outbox import outbox_sweep


@shared_task(name="cxplan.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by /healthz to prove a worker answers."""
    return "pong"


@shared_task(name="cxplan.tasks.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Beat, every minute: re-send the work of rows that still wait."""
    return outbox_sweep()
