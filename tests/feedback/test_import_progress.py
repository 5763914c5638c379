"""An import's progress is seen while its batch is written, on SQLite too (the
writer's transaction hides the row until commit; the cache does not)."""

import pytest
from django.db import transaction

from feedback.models import ImportBatch
from feedback.services.import_progress import Progress, import_progress_overlay

pytestmark = pytest.mark.django_db


def test_a_running_import_shows_the_progress_it_published(as_user, cx_lead):
    batch = ImportBatch.objects.create(
        source="s", file="imports/s.csv", status="running", progress=5
    )
    with transaction.atomic():
        Progress(batch.pk)(63, "writing")
        transaction.set_rollback(True)  # as if another process looked mid-write
    assert ImportBatch.objects.get(pk=batch.pk).progress == 5
    body = as_user(cx_lead).get(f"/api/v1/imports/{batch.pk}/").json()
    assert (body["progress"], body["stage"]) == (63, "writing")


def test_a_finished_batch_shows_what_is_stored(as_user, cx_lead):
    batch = ImportBatch.objects.create(
        source="s", file="imports/s.csv", status="running", progress=5
    )
    Progress(batch.pk)(63, "writing")
    ImportBatch.objects.filter(pk=batch.pk).update(status="done", progress=100)
    batch.refresh_from_db()
    assert import_progress_overlay(batch).progress == 100
    body = as_user(cx_lead).get(f"/api/v1/imports/{batch.pk}/").json()
    assert body["progress"] == 100
