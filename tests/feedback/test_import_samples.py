"""The four feedback-like sample exports import through the API with the
mapping the preview proposes plus at most two constants (issue 21.1).

The files are public data sets kept outside the project (/work/shared/data);
without them these tests skip with the reason, except under CI=true, where
their absence fails.
"""

import csv
import io
import json
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import FeedbackItem, ImportBatch
from tests.conftest import IN_CI
from tests.feedback.intake_helpers import media  # noqa: F401 (fixture)

DATA = Path("/work/shared/data")
URL = "/api/v1/imports/"


def sample(name: str) -> bytes:
    path = DATA / name
    if not path.is_file():
        reason = f"sample file {path} is absent"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        print(f"skipping: {reason}")
        pytest.skip(reason)
    return path.read_bytes()


def rows_where(data: bytes, column: str) -> int:
    """Rows of the file whose `column` is not blank (Python's own CSV reader)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return sum(1 for row in reader if (row[column] or "").strip())


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def preview_then_import(client, name, data, *, constants=None, **options):
    started = time.perf_counter()
    preview = client.post(
        f"{URL}preview/",
        {"file": upload(name, data), **options},
        format="multipart",
    )
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert len(body["rows"]) == 20
    proposed = {**body["constants"], **(constants or {})}
    assert len(proposed) <= 2, proposed
    with client.capture(execute=True):  # the task runs on commit
        response = client.post(
            URL,
            {
                "file": upload(name, data),
                "mapping": json.dumps(body["mapping"]),
                "constants": json.dumps(proposed),
                "date_format": body["date_format"],
                **options,
            },
            format="multipart",
        )
    assert response.status_code == 202, response.content
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    seconds = time.perf_counter() - started
    print(f"{name}: {batch.rows_imported} rows imported in {seconds:.1f} s")
    return body, batch


@pytest.fixture
def lead_client(cx_lead, as_user, media, django_capture_on_commit_callbacks):  # noqa: F811
    client = as_user(cx_lead)
    client.capture = django_capture_on_commit_callbacks
    return client


def test_ba_reviews_import_with_their_1_to_10_rating(lead_client):
    data = sample("ba_airline_reviews.csv")
    body, batch = preview_then_import(lead_client, "ba.csv", data)
    assert body["mapping"]["ReviewBody"] == "text"
    assert body["mapping"]["OverallRating"] == "score"
    assert body["constants"] == {"score_type": "rating"}
    assert body["date_format"] == "d month yyyy"
    assert batch.status == "done", batch.error_summary
    assert batch.rows_imported == rows_where(data, "ReviewBody")
    item = FeedbackItem.objects.filter(batch=batch).exclude(score=None).first()
    assert item.score_type == "rating" and 1 <= item.score <= 10
    assert batch.notes == []


def test_clothing_reviews_without_dates_take_the_import_date_with_a_note(
    lead_client,
):
    data = sample("womens_clothing_ecommerce_reviews.csv")
    body, batch = preview_then_import(
        lead_client, "clothing.csv", data, skip_empty_text="true"
    )
    assert body["mapping"]["Review Text"] == "text"
    assert body["constants"] == {"created": "import_date", "score_type": "stars"}
    assert batch.status == "done", batch.error_summary
    assert batch.rows_imported == rows_where(data, "Review Text")
    assert batch.rows_skipped == batch.rows_total - batch.rows_imported
    assert "not when the customer wrote it" in batch.notes[0]
    assert "without text were skipped" in batch.notes[1]
    assert (
        FeedbackItem.objects.filter(batch=batch).values("created__date").distinct()
    ).count() == 1


def test_every_cfpb_narrative_imports_even_those_past_10000_characters(
    lead_client,
):
    data = sample("cfpb_complaints_sample.csv")
    body, batch = preview_then_import(
        lead_client, "cfpb.csv", data, skip_empty_text="true"
    )
    assert body["mapping"]["Consumer complaint narrative"] == "text"
    assert body["mapping"]["Submitted via"] == "channel"
    assert batch.status == "done", batch.error_summary
    assert batch.rows_imported == rows_where(data, "Consumer complaint narrative")
    longest = max(
        len(t)
        for t in FeedbackItem.objects.filter(batch=batch).values_list("text", flat=True)
    )
    assert longest > 10_000


def test_maven_churn_reasons_import_as_text_only_where_there_is_one(lead_client):
    data = sample("maven_telecom_customer_churn.csv")
    body, batch = preview_then_import(
        lead_client,
        "maven.csv",
        data,
        constants={"channel": "survey"},
        skip_empty_text="true",
    )
    assert body["mapping"]["Churn Reason"] == "text"
    assert body["mapping"]["Customer ID"] == "customer_id"
    assert batch.status == "done", batch.error_summary
    assert batch.rows_imported == rows_where(data, "Churn Reason")
    assert set(
        FeedbackItem.objects.filter(batch=batch).values_list("channel", flat=True)
    ) == {"survey"}


def test_the_command_imports_the_cfpb_sample_it_used_to_refuse(db, media):  # noqa: F811
    from django.core.management import call_command

    data = sample("cfpb_complaints_sample.csv")
    out = io.StringIO()
    call_command(
        "import_feedback",
        str(DATA / "cfpb_complaints_sample.csv"),
        "--guess",
        "--skip-empty-text",
        "--constant",
        "segment=consumer",
        stdout=out,
    )
    batch = ImportBatch.objects.get()
    assert batch.status == "done"
    assert batch.rows_imported == rows_where(data, "Consumer complaint narrative")
    assert "Guessed: mapping" in out.getvalue()
    assert set(FeedbackItem.objects.values_list("segment", flat=True)) == {"consumer"}
