"""The one Celery app. Settings live in Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")

app = Celery("cxplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["feedback", "initiatives", "cxplan", "cxplan.deck"])


@app.task(name="cxplan.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by /healthz to prove a worker answers."""
    return "pong"


@worker_process_shutdown.connect
def _stop_process_pool(**_kwargs) -> None:
    """A worker process that scored with a process pool stops it as it ends."""
    from feedback.parallel import pool_shutdown

    pool_shutdown()
