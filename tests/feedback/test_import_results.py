"""An import's result reads at a glance (issue 21.2): one status, the counts,
errors grouped by kind with the first three lines, every error as CSV."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import ImportBatch
from tests.feedback.intake_helpers import media  # noqa: F401 (fixture)

URL = "/api/v1/imports/"
HEADER = "external_id,text,created"


def bad_file(good: int = 5) -> bytes:
    """600 rows with a date that is not one, 400 without text, `good` fine."""
    rows = [f"b{i},Broken date {i},not-a-date-{i}" for i in range(600)]
    rows += [f"e{i},,2026-10-01" for i in range(400)]
    rows += [f"g{i},Fine row {i},2026-10-02" for i in range(good)]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def lead(cx_lead, as_user, media, django_capture_on_commit_callbacks):  # noqa: F811
    client = as_user(cx_lead)

    def post(data: bytes, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                URL,
                {"file": SimpleUploadedFile("bad.csv", data), **fields},
                format="multipart",
            )
        assert response.status_code == 202, response.content
        return client, response.json()["id"]

    return post


def test_a_thousand_bad_rows_give_two_summary_lines_and_a_csv_of_all(lead):
    client, pk = lead(bad_file(), date_format="iso")
    body = client.get(f"{URL}{pk}/").json()
    assert body["status"] == "failed"
    assert body["error_summary"] == [
        {
            "kind": "created: '…' is not a date in the format iso",
            "count": 600,
            "lines": [2, 3, 4],
        },
        {"kind": "text: is required", "count": 400, "lines": [602, 603, 604]},
    ]
    response = client.get(f"{URL}{pk}/errors.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1000
    assert {r["line"] for r in rows} == {str(n) for n in range(2, 1002)}


def test_skipping_invalid_rows_counts_created_and_skipped(lead):
    client, pk = lead(bad_file(good=7), skip_invalid="true")
    body = client.get(f"{URL}{pk}/").json()
    assert (body["status"], body["rows_created"], body["rows_skipped"]) == (
        "done",
        7,
        1000,
    )
    assert [k["count"] for k in body["error_summary"]] == [600, 400]


def test_duplicates_are_counted_apart(lead):
    data = (HEADER + "\nd1,Same,2026-10-01\nd1,Same again,2026-10-01\n").encode()
    client, pk = lead(data, skip_invalid="true")
    body = client.get(f"{URL}{pk}/").json()
    assert (body["rows_created"], body["duplicates"]) == (1, 1)


def test_the_errors_csv_neutralises_formulas(lead):
    data = b"external_id,text,+SUM(A1)\nx1,Hello,not a date\n"
    client, pk = lead(data, mapping='{"+SUM(A1)": "created"}')
    text = client.get(f"{URL}{pk}/errors.csv").content.decode()
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["column"].startswith("'+")
    assert row["kind"].startswith("'+")


def test_the_result_page_shows_one_status_a_summary_and_the_csv_link(
    lead, client, cx_lead
):
    _api, pk = lead(bad_file(), date_format="iso")
    client.force_login(cx_lead)
    html = client.get(f"/imports/{pk}/").content.decode()
    assert html.count('data-testid="status"') == 1
    assert html.count("<tr") <= 3 + 1  # two kinds and a header, not 1,000 rows
    assert "600" in html and "2, 3, 4" in html
    assert f"/api/v1/imports/{pk}/errors.csv" in html


def test_others_cannot_read_an_imports_errors(lead, as_user, advisor, executive):
    _client, pk = lead(bad_file())
    for user in (advisor, executive):
        assert as_user(user).get(f"{URL}{pk}/errors.csv").status_code == 403
    assert ImportBatch.objects.filter(pk=pk).exists()


def test_the_list_counts_errors_by_the_summary(client, cx_lead):
    ImportBatch.objects.create(
        source="s",
        file="imports/x.csv",
        original_name="x.csv",
        status="failed",
        error_summary=[{"kind": "text: is required", "count": 1234, "lines": [2]}],
    )
    client.force_login(cx_lead)
    assert "<td>1234</td>" in client.get("/imports/").content.decode()


def test_the_imports_list_takes_the_same_queries_for_many_batches(
    cx_lead, as_user, django_assert_max_num_queries
):
    from feedback.models import ImportBatch

    client = as_user(cx_lead)
    ImportBatch.objects.create(source="a", file="imports/a.csv")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v1/imports/")
    for n in range(12):
        ImportBatch.objects.create(source=f"s{n}", file=f"imports/{n}.csv")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/imports/").json()["results"]) == 13
