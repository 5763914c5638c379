"""/healthz reports the database, the broker and the workers."""

from unittest import mock

import pytest

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
    assert "gone" in answer.json()["database"]["error"]
