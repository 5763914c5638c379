"""The column cap: a header wider than CXPLAN_IMPORT_MAX_COLUMNS is refused from
its header alone, on the page, in the API, in the command and in the task."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from feedback.intake.reading import header_width
from feedback.models import ImportBatch
from feedback.services import imports as services
from tests.factories import PASSWORD
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def wide(columns: int, rows: int = 3) -> bytes:
    header = ",".join(["text", "created", *(f"c{i}" for i in range(columns - 2))])
    row = ",".join(["Slow app", "2026-10-01", *("x" * (columns - 2))])
    return ("\n".join([header, *[row] * rows]) + "\n").encode()


def page_upload(user, data: bytes):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    file = SimpleUploadedFile("wide.csv", data, content_type="text/csv")
    return client.post("/imports/new/", {"step": "upload", "file": file})


def api_upload(client, data: bytes, capture):
    file = SimpleUploadedFile("wide.csv", data, content_type="text/csv")
    with capture(execute=True):
        return client.post("/api/v1/imports/", {"file": file}, format="multipart")


@pytest.mark.parametrize(
    "head, width",
    [
        (b"a,b,c\n1,2,3\n", 3),
        (b"a;b;c;d\n", 4),
        (b'"a, with comma",b\n', 2),  # quoted delimiters are one cell
        (b'"spans\ntwo lines",b,c\n', 3),  # a quoted newline in the header
        (b"\xef\xbb\xbftext\tcreated\n", 2),  # UTF-8 BOM, tab
        (b"only", 1),
    ],
)
def test_header_width_counts_the_first_record(head, width):
    assert header_width(head) == width


def test_a_20000_column_file_is_refused_on_the_page_fast(cx_lead):
    data = wide(20_000)
    started = time.perf_counter()
    response = page_upload(cx_lead, data)
    took = time.perf_counter() - started
    assert response.status_code == 400
    text = response.content.decode()
    assert "its header has 20,000 columns; the limit is 200" in text
    # Before the cap this request parsed and rendered 20,000 pickers (93 s).
    assert took < 5, took
    assert ImportBatch.objects.count() == 0


def test_the_api_refuses_a_wide_file_with_400_and_stores_no_batch(
    cx_lead, as_user, django_capture_on_commit_callbacks, settings
):
    settings.CXPLAN_IMPORT_MAX_COLUMNS = 10
    response = api_upload(
        as_user(cx_lead), wide(11), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "file",
                "message": "The file is too wide: its header has 11 columns; the "
                "limit is 10. Remove the columns you do not import and upload it "
                "again.",
            }
        ]
    }
    assert ImportBatch.objects.count() == 0


def test_a_file_at_the_cap_is_accepted(
    cx_lead, as_user, django_capture_on_commit_callbacks, settings
):
    settings.CXPLAN_IMPORT_MAX_COLUMNS = 8  # the HEADER's eight columns
    response = api_upload(
        as_user(cx_lead), csv_bytes(*GOOD_ROWS), django_capture_on_commit_callbacks
    )
    assert response.status_code == 202, response.content
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    assert page_upload(cx_lead, csv_bytes(*GOOD_ROWS)).status_code == 200


def test_the_command_refuses_a_wide_file(tmp_path, settings):
    settings.CXPLAN_IMPORT_MAX_COLUMNS = 5
    path = tmp_path / "wide.csv"
    path.write_bytes(wide(6))
    with pytest.raises(CommandError, match="its header has 6 columns; the limit"):
        call_command("import_feedback", str(path))
    assert ImportBatch.objects.count() == 0


def test_a_staged_file_over_a_lowered_cap_fails_its_batch(settings):
    # Staged at the preview under the old cap; the task checks again.
    stored = services.import_upload_stage(data=wide(12), name="wide.csv")
    batch = services.import_batch_create(stored=stored, source="s", enqueue=False)
    settings.CXPLAN_IMPORT_MAX_COLUMNS = 10
    summary = services.import_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert summary["status"] == "failed"
    assert "its header has 12 columns; the limit is 10" in batch.errors[0]["message"]
