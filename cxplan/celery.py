"""The one Celery app. Settings live in Django settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")

app = Celery("cxplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["feedback", "initiatives", "cxplan", "cxplan.deck"])


@app.task(name="cxplan.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by /healthz to prove a worker answers."""
    return "pong"
