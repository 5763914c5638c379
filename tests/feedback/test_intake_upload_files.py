"""Stored uploads: deleted when their batch ends, and swept after the keep time;
the result page and the API still show the counts and the errors."""

import os
import re
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from feedback.models import ImportBatch
from feedback.services import imports as services
from feedback.services.import_files import import_uploads_sweep
from feedback.tasks import sweep_import_uploads
from tests.factories import PASSWORD
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
URL = "/api/v1/imports/"
BAD_ROW = "a4,,2026-10-04,survey,,,,"


def storage():
    return ImportBatch._meta.get_field("file").storage


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT / "imports"
    return sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in root.rglob("*.*"))


def age(name: str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(storage().path(name), (then, then))


def upload(client, data: bytes, capture, run=True):
    body = {"file": SimpleUploadedFile("s.csv", data), "source": "survey"}
    with capture(execute=run):
        response = client.post(URL, body, format="multipart")
    assert response.status_code == 202, response.content
    return ImportBatch.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("rows, status", [(GOOD_ROWS, "done"), ((BAD_ROW,), "failed")])
def test_an_ended_import_deletes_its_file_and_keeps_its_result(
    cx_lead, as_user, django_capture_on_commit_callbacks, rows, status
):
    client = as_user(cx_lead)
    batch = upload(client, csv_bytes(*rows), django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert batch.status == status
    assert batch.file.name == ""
    assert stored_files() == []
    answer = client.get(f"{URL}{batch.pk}/").json()
    assert answer["original_name"] == "s.csv" and answer["size_bytes"] > 0
    if status == "failed":
        assert answer["errors"] == [
            {"line": 2, "field": "text", "message": "is required"}
        ]
        page = Client()
        page.login(username=cx_lead.username, password=PASSWORD)
        assert "is required" in page.get(f"/imports/{batch.pk}/").content.decode()
    else:
        assert answer["rows_imported"] == 3


def test_a_pending_import_keeps_its_file(
    cx_lead, as_user, django_capture_on_commit_callbacks
):
    batch = upload(
        as_user(cx_lead),
        csv_bytes(*GOOD_ROWS),
        django_capture_on_commit_callbacks,
        False,
    )
    assert batch.status == ImportBatch.Status.PENDING
    assert stored_files() == [batch.file.name]


def test_the_page_flow_leaves_no_file_behind(
    cx_lead, django_capture_on_commit_callbacks
):
    client = Client()
    client.login(username=cx_lead.username, password=PASSWORD)
    data = b"Comment,When\nToo slow,2020-03-18\n"
    file = SimpleUploadedFile("kiosk.csv", data, content_type="text/csv")
    preview = client.post("/imports/new/", {"step": "upload", "file": file})
    assert len(stored_files()) == 1  # staged for the mapping step
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode())
    form = {"step": "start", "token": token[1], "col_0": "text", "col_1": "created"}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/imports/new/", {**form, "date_format": "iso"})
    assert started.status_code == 302
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    assert stored_files() == []


def test_the_sweep_deletes_old_files_no_live_batch_needs(settings):
    fresh = services.import_upload_stage(data=b"text\nfresh\n", name="fresh.csv")
    orphan = services.import_upload_stage(data=b"text\nold\n", name="orphan.csv")
    waiting = services.import_batch_create(
        file=b"text\nwaiting\n", source="s", enqueue=False, original_name="w.csv"
    )
    ended = services.import_batch_create(
        file=b"text\nended\n", source="s", enqueue=False, original_name="e.csv"
    )
    # A batch that ended without deleting its file (its worker died in between).
    ImportBatch.objects.filter(pk=ended.pk).update(status=ImportBatch.Status.DONE)
    for name in (orphan, waiting.file.name, ended.file.name):
        age(name, 25)
    age(fresh, 23)

    assert import_uploads_sweep() == 2
    assert stored_files() == sorted([fresh, waiting.file.name])
    ended.refresh_from_db()
    waiting.refresh_from_db()
    assert ended.file.name == "" and waiting.file.name != ""

    settings.CXPLAN_IMPORT_UPLOAD_KEEP_HOURS = 22
    assert sweep_import_uploads.delay().get() == 1  # the beat task, eagerly
    assert stored_files() == [waiting.file.name]
    assert import_uploads_sweep() == 0


def test_the_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-import-uploads"]
    assert entry == {"task": "feedback.tasks.sweep_import_uploads", "schedule": 3600.0}


def test_the_sweep_with_no_uploads_yet_deletes_nothing():
    assert import_uploads_sweep() == 0
