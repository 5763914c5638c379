"""/healthz reports the database, the broker and the workers."""

from unittest import mock

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_each_part(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["database"]["ok"] is True
    assert set(body) >= {"status", "database", "broker", "workers"}


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=RuntimeError("database is gone"),
    ):
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["database"]["ok"] is False
    # The cause goes to the log, not to whoever asks: the part says "failing".
    assert answer.json()["database"]["error"] == "failing"
    assert "gone" not in answer.content.decode()


def test_healthz_does_not_name_the_database_vendor(client):
    body = client.get("/healthz").json()
    assert set(body["database"]) == {"ok", "ms"}
    assert "postgres" not in str(body).lower() and "vendor" not in str(body)


def test_healthz_says_failing_without_the_brokers_address(client):
    """An unreachable broker (nothing listens on port 1) fails both parts."""
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["broker"] == {"ok": False, "error": "failing"}
    assert body["workers"] == {"ok": False, "error": "failing"}
    assert "127.0.0.1" not in answer.content.decode()
