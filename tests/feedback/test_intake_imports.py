"""Imports: upload -> 202 batch -> task; all or nothing; idempotent; 413; access."""

import json
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cxplan.core.outbox import outbox_sweep
from feedback.models import Customer, FeedbackItem, ImportBatch, SourceMapping
from feedback.services import imports as services
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
URL = "/api/v1/imports/"


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction: run on-commit sends when they are made."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def upload(client, data: bytes, name="survey.csv", **fields):
    body = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    body.update(fields)
    with _capture(execute=True):
        return client.post(URL, body, format="multipart")


def test_it_accepts_a_file_with_202_and_imports_it(cx_lead, as_user):
    response = upload(as_user(cx_lead), csv_bytes(*GOOD_ROWS), source="survey")
    assert response.status_code == 202, response.content
    assert response["Location"].endswith(f"/imports/{response.json()['id']}/")
    batch = as_user(cx_lead).get(f"{URL}{response.json()['id']}/").json()
    assert batch["status"] == "done"
    assert batch["progress"] == 100
    assert (batch["rows_total"], batch["rows_imported"]) == (3, 3)
    assert FeedbackItem.objects.filter(source="survey").count() == 3
    item = FeedbackItem.objects.get(external_id="a1")
    assert item.polarity == "negative"  # NPS 3
    assert item.customer.external_id == "C1"
    assert item.batch_id == batch["id"]


def test_a_file_with_a_bad_row_imports_nothing(cx_lead, as_user):
    rows = (*GOOD_ROWS, "a4,,2026-10-04,survey,,,,")
    response = upload(as_user(cx_lead), csv_bytes(*rows), source="survey")
    batch = as_user(cx_lead).get(f"{URL}{response.json()['id']}/").json()
    assert batch["status"] == "failed"
    assert batch["errors"] == [{"line": 5, "field": "text", "message": "is required"}]
    assert FeedbackItem.objects.count() == 0
    assert Customer.objects.count() == 0


def test_skip_invalid_imports_the_good_rows_and_counts_the_bad(cx_lead, as_user):
    rows = (*GOOD_ROWS, "a4,,2026-10-04,survey,,,,")
    response = upload(
        as_user(cx_lead), csv_bytes(*rows), source="survey", skip_invalid="true"
    )
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == "done"
    assert (batch.rows_imported, batch.rows_skipped) == (3, 1)
    assert len(batch.errors) == 1


def test_a_failure_while_writing_leaves_nothing_half_imported(cx_lead, monkeypatch):
    from feedback.services import ingest

    real = ingest.feedback_rows_ingest
    calls = {"n": 0}

    def fail_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "feedback_rows_ingest", fail_second_chunk)
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    batch = services.import_batch_create(
        file=csv_bytes(*GOOD_ROWS), source="s", enqueue=False
    )
    summary = services.import_batch_run(batch_id=batch.pk)
    assert summary["status"] == "failed"
    assert FeedbackItem.objects.count() == 0
    batch.refresh_from_db()
    assert "disk full" in batch.errors[0]["message"]


def test_reimporting_a_file_updates_and_never_duplicates(cx_lead, as_user):
    client = as_user(cx_lead)
    upload(client, csv_bytes(*GOOD_ROWS), source="survey")
    changed = GOOD_ROWS[0].replace("crashes", "freezes")
    second = upload(client, csv_bytes(changed, *GOOD_ROWS[1:]), source="survey")
    batch = ImportBatch.objects.get(pk=second.json()["id"])
    assert (batch.rows_created, batch.rows_updated) == (0, 3)
    assert FeedbackItem.objects.count() == 3
    assert FeedbackItem.objects.get(external_id="a1").text.startswith("The app freezes")


def test_reimporting_a_file_without_ids_never_duplicates(cx_lead, as_user):
    data = b"text,created\nSlow checkout,2026-10-01\nGreat staff,2026-10-02\n"
    client = as_user(cx_lead)
    upload(client, data, source="kiosk")
    upload(client, data, source="kiosk")
    assert FeedbackItem.objects.filter(source="kiosk").count() == 2


def test_the_mapping_is_remembered_for_the_source(cx_lead, as_user):
    data = b"Comment,When\nToo slow,2020/3/18\n"
    mapping = {"Comment": "text", "When": "created"}
    client = as_user(cx_lead)
    upload(
        client,
        data,
        source="kiosk",
        mapping=json.dumps(mapping),
        date_format="yyyy/m/d",
    )
    remembered = SourceMapping.objects.get(source="kiosk")
    assert (remembered.mapping, remembered.date_format) == (mapping, "yyyy/m/d")
    again = upload(client, b"Comment,When\nStill slow,2020/3/19\n", source="kiosk")
    assert ImportBatch.objects.get(pk=again.json()["id"]).status == "done"
    assert FeedbackItem.objects.filter(source="kiosk").count() == 2


def test_a_bad_mapping_answers_400(cx_lead, as_user):
    response = upload(as_user(cx_lead), csv_bytes(*GOOD_ROWS), mapping="{nope")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "mapping"


def test_an_unknown_date_format_answers_400(cx_lead, as_user):
    response = upload(as_user(cx_lead), csv_bytes(*GOOD_ROWS), date_format="whenever")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_format"


def test_a_file_over_the_cap_answers_413(cx_lead, as_user, settings):
    settings.FEEDBACK_UPLOAD_MAX_BYTES = 100
    response = upload(as_user(cx_lead), csv_bytes(*GOOD_ROWS * 5))
    assert response.status_code == 413
    assert "limit" in response.json()["errors"][0]["message"]
    assert ImportBatch.objects.count() == 0


def test_the_upload_returns_before_the_import_runs(cx_lead, as_user):
    with mock.patch("feedback.tasks.import_feedback_batch.apply_async") as send:
        response = upload(as_user(cx_lead), csv_bytes(*GOOD_ROWS))
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert send.call_count == 1


def test_an_upload_while_the_broker_is_down_waits_for_the_sweep(cx_lead, as_user):
    from cxplan.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with mock.patch(
            "feedback.tasks.import_feedback_batch.apply_async",
            side_effect=ConnectionError("redis down"),
        ):
            response = upload(as_user(cx_lead), csv_bytes(*GOOD_ROWS))
    finally:
        app.conf.task_always_eager = was_eager
    assert response.status_code == 202
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == "pending"
    assert batch.file.read().startswith(b"external_id")
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=batch.created_at.replace(year=2020)
    )
    assert outbox_sweep()["imports"] == 1  # eager again: the sweep runs it
    batch.refresh_from_db()
    assert batch.status == "done"


def test_running_a_batch_twice_imports_it_once(cx_lead):
    batch = services.import_batch_create(
        file=csv_bytes(*GOOD_ROWS), source="s", enqueue=False
    )
    first = services.import_batch_run(batch_id=batch.pk)
    second = services.import_batch_run(batch_id=batch.pk)
    assert first == second
    batch.refresh_from_db()
    assert batch.attempts == 1
    assert FeedbackItem.objects.count() == 3


def test_the_task_is_sent_only_after_commit(cx_lead):
    with (
        mock.patch("feedback.tasks.import_feedback_batch.apply_async") as send,
        _capture(execute=True) as callbacks,
    ):
        services.import_batch_create(file=csv_bytes(*GOOD_ROWS), source="s")
        assert send.call_count == 0
    assert len(callbacks) == 1
    assert send.call_count == 1


@pytest.mark.parametrize("who", ["advisor", "executive", "outsider"])
def test_only_cx_leads_may_import(who, request, as_user):
    client = as_user(request.getfixturevalue(who))
    assert upload(client, csv_bytes(*GOOD_ROWS)).status_code == 403
    assert client.get(URL).status_code == 403


def test_anonymous_users_are_refused(api):
    assert upload(api, csv_bytes(*GOOD_ROWS)).status_code in (401, 403)
    assert api.get(URL).status_code in (401, 403)


def test_progress_moves_through_the_stages(cx_lead, monkeypatch):
    seen = []
    real = services._Progress.__call__

    def record(self, progress, stage, **fields):
        seen.append((progress, stage))
        return real(self, progress, stage, **fields)

    monkeypatch.setattr(services._Progress, "__call__", record)
    monkeypatch.setattr(services, "CHUNK_ROWS", 1)
    batch = services.import_batch_create(
        file=csv_bytes(*GOOD_ROWS), source="s", enqueue=False
    )
    services.import_batch_run(batch_id=batch.pk)
    stages = [stage for _, stage in seen]
    assert stages[:2] == ["reading", "validating"]
    assert stages.count("writing") == 3
    values = [p for p, _ in seen]
    assert values == sorted(values) and values[-1] == 95
    batch.refresh_from_db()
    assert (batch.progress, batch.stage) == (100, "done")


def _analyze_statements(run) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        run()
    return [q["sql"] for q in seen.captured_queries if q["sql"].startswith("ANALYZE")]


def test_a_large_import_refreshes_the_planner_statistics_before_commit(
    cx_lead, monkeypatch
):
    from django.db import connection

    from feedback.services import ingest_copy
    from tests.conftest import need

    need("postgres")
    monkeypatch.setattr(ingest_copy, "ANALYZE_MIN_ROWS", 3)  # "large" for the test
    batch = services.import_batch_create(
        file=csv_bytes(*GOOD_ROWS), source="s", enqueue=False
    )
    done = _analyze_statements(lambda: services.import_batch_run(batch_id=batch.pk))
    assert len(done) == 1 and "feedback_feedbackitem" in done[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'feedback_feedbackitem'"
        )
        assert cursor.fetchone()[0] == 3  # the new rows, counted before commit


def test_a_small_import_leaves_the_statistics_to_autovacuum(cx_lead):
    batch = services.import_batch_create(
        file=csv_bytes(*GOOD_ROWS), source="s", enqueue=False
    )
    done = _analyze_statements(lambda: services.import_batch_run(batch_id=batch.pk))
    assert done == [] and FeedbackItem.objects.count() == 3
