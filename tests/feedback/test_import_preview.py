"""The preview API (issue 21.1): the mapping proposed with a confidence per
field and the first 20 rows parsed as they will be stored; nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import FeedbackItem, ImportBatch, SourceMapping
from tests.feedback.intake_helpers import media  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("media")
URL = "/api/v1/imports/preview/"
ROWS = [
    f"r{i},The parcel came late and broken ({i}),2026-10-{1 + i % 28:02d}"
    for i in range(30)
]


def post(client, data: bytes, **fields):
    return client.post(
        URL, {"file": SimpleUploadedFile("f.csv", data), **fields}, format="multipart"
    )


def csv_of(*rows: str, header="Ticket ID,Message,Opened") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_it_proposes_a_mapping_and_parses_20_rows_writing_nothing(
    cx_lead,
    as_user,
):
    rows = list(ROWS)
    rows[3] = "r3,Fine words,yesterday-ish"
    body = post(as_user(cx_lead), csv_of(*rows)).json()
    assert body["columns"] == ["Ticket ID", "Message", "Opened"]
    assert body["mapping"] == {
        "Message": "text",
        "Opened": "created",
        "Ticket ID": "external_id",
    }
    assert 0 < body["confidence"]["text"] <= 1
    assert len(body["rows"]) == 20
    ok = body["rows"][0]
    assert (ok["status"], ok["created"][:10], ok["channel"]) == (
        "ok",
        "2026-10-01",
        "other",
    )
    bad = body["rows"][3]
    assert bad["status"] == "problem" and bad["line"] == 5
    assert "is not a date" in bad["problems"][0]
    assert [p["line"] for p in body["problems"]] == [5]
    assert not ImportBatch.objects.exists() and not FeedbackItem.objects.exists()
    assert not SourceMapping.objects.exists()


def test_constants_apply_in_the_preview_and_a_bad_one_is_a_400(
    cx_lead,
    as_user,
):
    client = as_user(cx_lead)
    body = post(
        client,
        csv_of(*ROWS[:3]),
        constants=json.dumps({"channel": "Phone", "created": "2024-01-31"}),
    ).json()
    assert {(r["channel"], r["created"][:10]) for r in body["rows"]} == {
        ("call", "2024-01-31")
    }
    response = post(client, csv_of(*ROWS[:3]), constants='{"channel": "pigeon"}')
    assert response.status_code == 400
    assert "pigeon" in json.dumps(response.json())
    response = post(client, csv_of(*ROWS[:3]), constants='{"text": "same"}')
    assert response.status_code == 400


def test_an_import_with_a_fixed_date_notes_the_dates_are_not_the_customers(
    cx_lead,
    as_user,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(cx_lead).post(
            "/api/v1/imports/",
            {
                "file": SimpleUploadedFile("f.csv", b"Message\nHello there\n"),
                "constants": json.dumps({"created": "2024-01-31"}),
            },
            format="multipart",
        )
    assert response.status_code == 202
    batch = ImportBatch.objects.get()
    assert batch.status == "done"
    assert "2024-01-31" in batch.notes[0]
    assert FeedbackItem.objects.get().created.date().isoformat() == "2024-01-31"


def test_only_cx_leads_preview(advisor, executive, as_user):
    for user in (advisor, executive):
        assert post(as_user(user), csv_of(*ROWS[:2])).status_code == 403
