"""Health of the database, the broker and the workers, for /healthz.

/healthz is public (load balancers probe it), so each part says only whether
it is ok or "failing" and how long it took: no database vendor, no exception
text (hosts, ports, driver messages). The cause goes to the log instead.
"""

import logging
import tempfile
import time

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

FAILING = {"ok": False, "error": "failing"}


def check_database() -> dict:
    """Run `SELECT 1`; answer `{"ok": True, "ms"}` or FAILING."""
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: the database did not answer SELECT 1")
        return dict(FAILING)
    return {"ok": True, "ms": _ms(start)}


def check_broker_and_workers(timeout: float = 3.0) -> tuple[dict, dict]:
    """Ping the broker, then send a real task and wait for a worker's answer.

    Answers (broker, workers), each `{"ok": True, "ms"}` or FAILING. The broker
    is Redis (REDIS_URL) or, embedded, the folder of kombu's filesystem
    transport; with tasks run inline (eager, the embedded default without
    CXPLAN_EAGER=0) both are `{"ok": True, "mode": "eager"}`.
    """
    start = time.perf_counter()
    if settings.REDIS_URL:
        reached = _redis_answers()
    elif settings.CELERY_TASK_ALWAYS_EAGER:
        eager = {"ok": True, "mode": "eager"}
        return eager, dict(eager)
    else:
        reached = _broker_folder_writable()
    if not reached:
        return dict(FAILING), dict(FAILING)
    broker = {"ok": True, "ms": _ms(start)}

    from cxplan.core.tasks import ping

    start = time.perf_counter()
    try:
        result = ping.apply_async(queue="analytics", expires=timeout)
        answer = result.get(timeout=timeout)
        result.forget()
    except Exception:
        logger.warning("health: no worker answered the ping task", exc_info=True)
        return broker, dict(FAILING)
    if answer != "pong":
        return broker, dict(FAILING)
    return broker, {"ok": True, "ms": _ms(start)}


def _redis_answers() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception:
        logger.exception("health: the broker did not answer a ping")
        return False
    return True


def _broker_folder_writable() -> bool:
    """The filesystem broker's queue folder takes a file (and gives it back)."""
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"]
    try:
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".health"):
            pass
    except OSError:
        logger.exception("health: the broker's folder %s is not writable", folder)
        return False
    return True


def health() -> tuple[dict, int]:
    """The /healthz body and status: 200 when the database answers, 503 otherwise."""
    database = check_database()
    broker, workers = check_broker_and_workers()
    body = {
        "status": "ok"
        if database["ok"] and broker["ok"] and workers["ok"]
        else "degraded",
        "database": database,
        "broker": broker,
        "workers": workers,
    }
    if not database["ok"]:
        body["status"] = "down"
    return body, 200 if database["ok"] else 503


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
