"""Health of the database, the broker and the workers, for /healthz."""

import time

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    """Run `SELECT 1`; answer `{"ok", "ms"}` or `{"ok": False, "error"}`."""
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": str(exc)[:200]}
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(start)}


def check_broker_and_workers(timeout: float = 3.0) -> tuple[dict, dict]:
    """Ping the broker, then send a real task and wait for a worker's answer."""
    if not settings.REDIS_URL:
        eager = {
            "ok": True,
            "mode": "eager",
            "detail": "no REDIS_URL: tasks run inline",
        }
        return eager, eager
    import redis

    start = time.perf_counter()
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception as exc:
        down = {"ok": False, "error": str(exc)[:200]}
        return down, {"ok": False, "error": "broker unreachable"}
    broker = {"ok": True, "ms": _ms(start)}

    from cxplan.core.tasks import ping

    start = time.perf_counter()
    try:
        result = ping.apply_async(queue="analytics", expires=timeout)
        answer = result.get(timeout=timeout)
        result.forget()
    except Exception as exc:
        return broker, {"ok": False, "error": f"no worker answered: {exc}"[:200]}
    return broker, {"ok": answer == "pong", "ms": _ms(start)}


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
