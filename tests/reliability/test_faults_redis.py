"""Redis stopped or paused: writes still answer fast and their work is not lost.

The broker and the cache both point at a private redis-server that the test
stops (connection refused) or pauses (`CLIENT PAUSE`: connections hang). A CX
lead's recompute request and a file upload must answer within BROKER_BOUND
seconds, leave the dirty flag / pending batch behind, and once Redis is back
`cxplan.core.outbox.outbox_sweep()` sends the work, which a real worker completes.
"""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from cxplan.core.outbox import outbox_sweep
from feedback.models import ImportBatch, RankingState
from feedback.services.ranking_state import ranking_state_get
from tests.conftest import _database_url_for_tests, api_as
from tests.reliability.conftest import (
    ROOT,
    Worker,
    restore_broker,
    use_broker,
    wait_until,
)

BROKER_BOUND = 10.0  # seconds; the broker timeouts are ~2 s
FIGURES = {}
CSV = (
    b"external_id,text,created,channel\n"
    b"r-1,The refund took three weeks,2026-11-01,ticket\n"
    b"r-2,Nobody answered my refund email,2026-11-02,email\n"
)


def _cache_on(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def _state() -> RankingState:
    return RankingState.objects.get(pk=ranking_state_get().pk)


def _writes_during_outage(cx_lead) -> dict:
    """The two writes that enqueue work; returns their latencies (s) and ids."""
    client = api_as(cx_lead)
    before = _state().inputs_version
    started = time.monotonic()
    response = client.post("/api/v1/ranking/recompute/")
    recompute_s = time.monotonic() - started
    assert response.status_code == 202, response.content
    assert _state().inputs_version == before + 1  # the dirty flag is kept

    upload = SimpleUploadedFile("outage.csv", CSV, content_type="text/csv")
    started = time.monotonic()
    response = client.post(
        "/api/v1/imports/", {"file": upload, "source": "outage"}, format="multipart"
    )
    upload_s = time.monotonic() - started
    assert response.status_code == 202, response.content
    batch_id = response.json()["id"]
    assert ImportBatch.objects.get(pk=batch_id).status == ImportBatch.Status.PENDING
    assert recompute_s < BROKER_BOUND, recompute_s
    assert upload_s < BROKER_BOUND, upload_s
    return {"recompute_s": recompute_s, "upload_s": upload_s, "batch_id": batch_id}


def _start_worker(redis_url: str, django_db_blocker) -> Worker:
    with django_db_blocker.unblock():
        db_url = _database_url_for_tests()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="cxplan.settings_test",
        CXPLAN_EAGER="0",
        CONN_MAX_AGE="0",
    )
    worker = Worker(env=env, log_path=ROOT / "var" / "test-reliability-worker2.log")
    worker.start()
    return worker


@pytest.mark.django_db(transaction=True)
def test_writes_succeed_with_redis_stopped_and_the_sweep_finishes_them(
    cx_lead, private_redis, django_db_blocker
):
    before = use_broker(private_redis.url, eager=False)
    worker = None
    try:
        with override_settings(CACHES=_cache_on(private_redis.url)):
            private_redis.stop()
            outage = _writes_during_outage(cx_lead)
            private_redis.start()
            started = time.monotonic()
            # The sweep only re-sends batches older than its staleness margin.
            sent = outbox_sweep(now=timezone.now() + timedelta(minutes=5))
            assert sent["ranking"] == 1 and sent["imports"] == 1, sent
            worker = _start_worker(private_redis.url, django_db_blocker)
            wait_until(
                lambda: _state().computed_version >= _state().inputs_version,
                timeout=60,
                what="the swept recompute",
            )
            wait_until(
                lambda: (
                    ImportBatch.objects.get(pk=outage["batch_id"]).status
                    == ImportBatch.Status.DONE
                ),
                timeout=60,
                what="the swept import",
            )
            FIGURES["stopped"] = {
                "recompute_s": round(outage["recompute_s"], 2),
                "upload_s": round(outage["upload_s"], 2),
                "recovered_after_sweep_s": round(time.monotonic() - started, 1),
            }
            print("FIGURES", FIGURES)
    finally:
        if worker is not None:
            worker.stop()
        if private_redis.proc is None:
            private_redis.start()
        restore_broker(before)


@pytest.mark.django_db(transaction=True)
def test_writes_do_not_hang_while_redis_is_paused(cx_lead, private_redis):
    """CLIENT PAUSE accepts connections but answers nothing: only the socket
    timeouts stand between a request and a hang."""
    before = use_broker(private_redis.url, eager=False)
    private_redis.cli("FLUSHALL")
    try:
        with override_settings(CACHES=_cache_on(private_redis.url)):
            pause_ms = int(BROKER_BOUND * 1.5 * 1000)  # longer than both requests
            assert private_redis.cli("CLIENT", "PAUSE", str(pause_ms), "ALL") == "OK"
            paused_at = time.monotonic()
            outage = _writes_during_outage(cx_lead)
            assert time.monotonic() - paused_at < pause_ms / 1000, (
                "not inside the pause"
            )
            wait_until(lambda: private_redis.cli("PING") == "PONG", timeout=60)
            sent = outbox_sweep(now=timezone.now() + timedelta(minutes=5))
            assert sent["ranking"] == 1 and sent["imports"] == 1, sent
            # Both tasks now wait in their queues for a worker.
            assert int(private_redis.cli("LLEN", "analytics")) >= 1
            assert int(private_redis.cli("LLEN", "imports")) >= 1
            FIGURES["paused"] = {
                "recompute_s": round(outage["recompute_s"], 2),
                "upload_s": round(outage["upload_s"], 2),
            }
            print("FIGURES", FIGURES)
    finally:
        restore_broker(before)
