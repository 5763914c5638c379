"""Hostile uploads and JSON bodies: never a 5xx, row-level errors, no partial import.

Hypothesis builds CSV files from parts that break parsers (a BOM, ragged rows, NUL
bytes, quotes and newlines in cells, duplicate or unknown headers, bad dates and
numbers, other encodings) and JSON bodies with wrong types. Each upload goes
through the API and its import task (run on commit, eagerly). The file is either
imported whole or not at all.
"""

import os
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.models import FeedbackItem, ImportBatch
from tests.conftest import api_as
from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("RELIABILITY_BAD_INPUT_EXAMPLES", "40"))
COLUMNS = [
    "external_id",
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "customer_id",
    "annual_revenue",
    "segment",
    "source",
    "Text",  # a duplicate, case-insensitively
    "mystery",
    "",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "The refund took weeks",
            "2026-11-01",
            "2026-13-45",
            "01/02/2026",
            "2026-11-01T25:61:00+99:00",
            "survey",
            "telepathy",
            "nps",
            "10",
            "-3",
            "1e309",
            "NaN",
            "abc",
            '"',
            'say "hi", twice',
            "line\nbreak",
            "nul\x00byte",
            "=cmd|' /C calc'!A0",
            "\ufeffbom inside",
        ]
    ),
    st.text(max_size=40),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])

_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


VALID_ROWS = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=10**6).map(lambda n: f"h-{n}"),
        st.sampled_from(["Slow refund", "Great app", "Rude agent, twice"]),
        st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 1)).map(str),
    ).map(list),
    min_size=1,
    max_size=6,
    unique_by=lambda row: row[0],
)


@st.composite
def csv_files(draw) -> bytes:
    if draw(st.booleans()):
        # Good rows with, maybe, one hostile row among them: all or nothing.
        header = ["external_id", "text", "created"]
        rows = draw(VALID_ROWS)
        if draw(st.booleans()):
            bad = draw(st.lists(CELLS, min_size=0, max_size=5))
            rows.insert(draw(st.integers(0, len(rows))), bad)
    else:
        header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8))
        rows = draw(
            st.lists(
                st.lists(CELLS, min_size=0, max_size=len(header) + 2),  # ragged
                max_size=8,
            )
        )
    sep = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))

    def line(cells):
        return sep.join(
            '"' + c.replace('"', '""') + '"' if sep in c else c for c in cells
        )

    text = newline.join([line(header), *(line(r) for r in rows)])
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = draw(st.binary(max_size=16)) + data  # junk bytes in front
    return data


def _errors_are_row_level(errors: list[dict]) -> None:
    assert errors, "a failed import must say why"
    for error in errors:
        assert set(error) >= {"field", "message"}, error
        assert "line" in error, error
        assert error["message"], error


@pytest.mark.django_db
def test_hostile_csv_uploads_answer_without_5xx_and_never_import_partly(tmp_path):
    lead = UserFactory(username="csv-lead", role="cx_lead")
    client = api_as(lead)
    outcomes = {"done": 0, "failed": 0, "refused": 0}

    @_settings
    @given(data=csv_files())
    def check(data):
        before = FeedbackItem.objects.count()
        upload = SimpleUploadedFile("hostile.csv", data, content_type="text/csv")
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                "/api/v1/imports/", {"file": upload, "source": "hostile"}
            )
        assert response.status_code in (202, 400, 413), response.status_code
        if response.status_code != 202:
            outcomes["refused"] += 1
            assert "errors" in response.json()
            assert FeedbackItem.objects.count() == before
            return
        batch = ImportBatch.objects.get(pk=response.json()["id"])
        assert batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED)
        after = FeedbackItem.objects.count()
        if batch.status == ImportBatch.Status.FAILED:
            outcomes["failed"] += 1
            _errors_are_row_level(batch.errors)
            assert after == before, "a failed import wrote rows"
        else:
            outcomes["done"] += 1
            assert batch.errors == [] and batch.rows_skipped == 0
            assert after - before == batch.rows_created

    with override_settings(MEDIA_ROOT=tmp_path):
        check()
    print("FIGURES csv", outcomes)
    assert outcomes["failed"] > 0, outcomes  # the generator does reach the validator


@pytest.mark.django_db
def test_a_one_megabyte_cell_is_a_row_error_and_nothing_is_imported(tmp_path):
    client = api_as(UserFactory(username="big-lead", role="cx_lead"))
    big = "x" * (1024 * 1024)
    data = (
        "external_id,text,created\n"
        "ok-1,A fine line,2026-11-01\n"
        f"big-1,{big},2026-11-02\n"
    ).encode()
    with (
        override_settings(MEDIA_ROOT=tmp_path),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("big.csv", data), "source": "big"},
        )
    assert response.status_code == 202
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == ImportBatch.Status.FAILED
    assert [e["line"] for e in batch.errors] == [3]
    assert batch.errors[0]["field"] == "text"
    assert FeedbackItem.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_over_the_cap_answers_413_and_stores_nothing(tmp_path):
    client = api_as(UserFactory(username="cap-lead", role="cx_lead"))
    data = b"external_id,text,created\n" + b"a,b,2026-11-01\n" * 400
    with override_settings(MEDIA_ROOT=tmp_path, FEEDBACK_UPLOAD_MAX_BYTES=1000):
        response = client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("big.csv", data), "source": "cap"},
        )
    assert response.status_code == 413
    assert ImportBatch.objects.count() == 0


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-11-01", "not a date", "survey", "nps", "\x00"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
GOOD_RECORD = st.fixed_dictionaries(
    {
        "text": st.sampled_from(["Slow refund", "Great app"]),
        "created": st.sampled_from(["2026-11-01", "2026-10-02T10:00:00Z"]),
    },
    optional={"channel": st.sampled_from(["survey", "ticket", "telepathy"])},
)
RECORDS = GOOD_RECORD | st.dictionaries(
    st.sampled_from(COLUMNS[:10]) | st.text(max_size=8), JSON_VALUES, max_size=8
)


@pytest.mark.django_db
def test_hostile_json_bodies_answer_201_or_400_and_write_all_or_nothing():
    client = api_as(UserFactory(username="json-lead", role="cx_lead"))
    seen = set()

    @_settings
    @given(body=st.one_of(RECORDS, st.lists(RECORDS | JSON_VALUES, max_size=5)))
    def check(body):
        before = FeedbackItem.objects.count()
        response = client.post("/api/v1/feedback/", body, format="json")
        seen.add(response.status_code)
        assert response.status_code in (201, 400), response.content[:300]
        if response.status_code == 400:
            errors = response.json()["errors"]
            assert errors and all("message" in e and "field" in e for e in errors)
            assert FeedbackItem.objects.count() == before
        else:
            created = response.json()["created"]
            assert FeedbackItem.objects.count() == before + created

    check()
    print("FIGURES json", sorted(seen))
    assert 400 in seen
