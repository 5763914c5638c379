"""/healthz on the embedded broker (files under var/broker/, no Redis): a folder
it cannot write to fails the broker and the workers without naming the folder.
The round trip to a real worker is in tests/reliability/test_embedded_worker.py."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_an_unwritable_broker_folder_fails_the_broker_and_the_workers(client, tmp_path):
    missing = tmp_path / "no-such-broker-folder"
    with override_settings(
        REDIS_URL="",
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_TRANSPORT_OPTIONS={"data_folder_out": str(missing)},
    ):
        answer = client.get("/healthz")
    assert answer.status_code == 200  # the database still answers
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["broker"] == {"ok": False, "error": "failing"}
    assert body["workers"] == {"ok": False, "error": "failing"}
    assert "no-such-broker-folder" not in answer.content.decode()


def test_eager_mode_says_so_for_the_broker_and_the_workers(client):
    with override_settings(REDIS_URL="", CELERY_TASK_ALWAYS_EAGER=True):
        body = client.get("/healthz").json()
    assert body["broker"] == body["workers"] == {"ok": True, "mode": "eager"}
    assert body["status"] == "ok"
