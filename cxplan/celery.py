"""The one Celery app. Settings live in Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")

app = Celery("cxplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["cxplan.core", "feedback", "initiatives", "deck"])


@worker_process_shutdown.connect
def _stop_process_pool(**_kwargs) -> None:
    """A worker process that scored with a process pool stops it as it ends."""
    from feedback.parallel import pool_shutdown

    pool_shutdown()
