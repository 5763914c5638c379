"""Import pages (upload, preview and mapping, progress) and the one-item form."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from feedback.models import FeedbackItem, ImportBatch, SourceMapping
from tests.factories import PASSWORD
from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def preview(client, data: bytes, source="kiosk"):
    return client.post(
        "/imports/new/",
        {
            "step": "upload",
            "source": source,
            "file": SimpleUploadedFile("kiosk.csv", data, content_type="text/csv"),
        },
    )


def token_of(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode())[
        1
    ]


def test_upload_shows_a_preview_and_a_picker_per_column(cx_lead):
    client = login(cx_lead)
    response = preview(client, b"Comment,When,Store\nToo slow,2020/3/18,Leeds\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Too slow" in html and "Leeds" in html
    # one per column, plus date format, dates, score type and channel
    assert html.count("<select") == 3 + 4
    assert 'for="id_col_0"' in html


def test_mapping_and_start_run_the_import_and_remember_the_mapping(
    cx_lead, django_capture_on_commit_callbacks
):
    client = login(cx_lead)
    response = preview(client, b"Comment,When,Store\nToo slow,2020/3/18,Leeds\n")
    form = {
        "step": "start",
        "token": token_of(response),
        "col_0": "text",
        "col_1": "created",
        "col_2": "extra",
        "date_format": "yyyy/m/d",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/", form)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{batch.pk}/"
    batch.refresh_from_db()
    assert batch.status == "done"
    assert FeedbackItem.objects.get().extra == {"Store": "Leeds"}
    assert SourceMapping.objects.get(source="kiosk").mapping == {
        "Comment": "text",
        "When": "created",
    }
    # Next time the remembered mapping is preselected.
    again = preview(client, b"Comment,When,Store\nStill slow,2020/3/19,York\n")
    assert re.search(r'<option value="text" selected>', again.content.decode()), (
        "text preselected"
    )


def test_a_mapping_without_text_is_refused(cx_lead):
    client = login(cx_lead)
    response = preview(client, b"Comment,When\nToo slow,2020/3/18\n")
    response = client.post(
        "/imports/new/",
        {
            "step": "start",
            "token": token_of(response),
            "col_0": "extra",
            "col_1": "created",
            "date_format": "iso",
        },
    )
    assert response.status_code == 400
    assert "Pick the column that gives text" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_an_unknown_upload_token_is_404(cx_lead):
    response = login(cx_lead).post(
        "/imports/new/", {"step": "start", "token": "0" * 32}
    )
    assert response.status_code == 404


def test_a_file_over_the_cap_answers_413(cx_lead, settings):
    settings.FEEDBACK_UPLOAD_MAX_BYTES = 50
    response = preview(login(cx_lead), csv_bytes(*GOOD_ROWS))
    assert response.status_code == 413
    assert "the limit is" in response.content.decode()


def test_a_file_that_is_not_csv_is_refused_in_the_page(cx_lead):
    response = preview(login(cx_lead), b"")
    assert response.status_code == 400


def test_the_detail_page_polls_while_busy_and_shows_errors_when_done(cx_lead):
    client = login(cx_lead)
    batch = ImportBatch.objects.create(source="s", file="imports/x.csv")
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="failed",
        errors=[{"line": 7, "field": "text", "message": "is required"}],
    )
    partial = client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body
    assert "hx-trigger" not in body
    # grouped by kind (a batch stored before error_summary is summarised then)
    assert "<td>text: is required</td><td>1</td><td>7</td>" in body


def test_the_list_shows_batches(cx_lead):
    ImportBatch.objects.create(source="s", file="imports/x.csv", original_name="x.csv")
    assert "x.csv" in login(cx_lead).get("/imports/").content.decode()


def test_the_nav_links_imports_for_cx_leads_only(cx_lead, advisor):
    assert 'data-nav="imports"' in login(cx_lead).get("/").content.decode()
    assert 'data-nav="imports"' not in login(advisor).get("/").content.decode()


def test_a_cx_lead_adds_one_item_with_the_form(cx_lead):
    response = login(cx_lead).post(
        "/feedback/new/",
        {
            "text": "Customer waited 40 minutes on hold",
            "created": "2026-11-20T10:30",
            "channel": "call",
            "score": "2",
            "score_type": "csat",
            "customer_id": "C42",
        },
    )
    assert response.status_code == 302
    stored = FeedbackItem.objects.get()
    assert (stored.source, stored.channel, stored.polarity) == (
        "form",
        "call",
        "negative",
    )


def test_the_form_reports_errors_on_the_fields(cx_lead):
    response = login(cx_lead).post(
        "/feedback/new/",
        {
            "text": "Fine",
            "created": "2026-11-20T10:30",
            "channel": "call",
            "score": "3",
        },
    )
    assert response.status_code == 400
    assert "is required with a score" in response.content.decode()
    assert FeedbackItem.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/imports/", "/imports/new/", "/imports/1/", "/feedback/new/"]
)
def test_pages_refuse_other_roles_and_send_anonymous_users_to_log_in(
    url, advisor, executive, outsider
):
    for user in (advisor, executive, outsider):
        assert login(user).get(url).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
