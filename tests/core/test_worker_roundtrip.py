"""A real worker over real Redis answers /healthz's task round trip."""

import pytest
from django.test import override_settings


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_a_live_worker_through_a_real_task(client, live_worker):
    import os

    with override_settings(REDIS_URL=os.environ["REDIS_URL"]):
        body = client.get("/healthz").json()
    assert body["broker"]["ok"] is True
    assert body["workers"]["ok"] is True, body
    assert body["status"] == "ok"
