"""The PostgreSQL COPY path of the ingest: awkward texts survive, upserts count."""

import pandas as pd
import pytest

from feedback.models import FeedbackItem
from feedback.services.ingest import feedback_rows_ingest
from tests.conftest import need

pytestmark = pytest.mark.django_db

AWKWARD = [
    "\\.",
    'She said "never again", twice',
    "line one\nline two\r\nline three",
    "tab\there; semicolon; pipe | and é ü 漢字",
    "NULL",
    "",
]


def frame(texts, **extra_cols):
    n = len(texts)
    return pd.DataFrame(
        {
            "external_id": [f"k{i}" for i in range(n)],
            "text": texts,
            "created": pd.Timestamp("2026-10-01T12:00:00Z"),
            "channel": "survey",
            "score": [3.0] + [float("nan")] * (n - 1),
            "score_type": ["nps"] + [""] * (n - 1),
            "customer_id": ["C1"] + [""] * (n - 1),
            "segment": "smb",
            "source": "copy",
            "extra": [{"k": "v"}] + [{}] * (n - 1),
            **extra_cols,
        }
    )


def test_awkward_texts_round_trip_and_reimports_update():
    need("postgres")
    texts = [t for t in AWKWARD if t]
    first = feedback_rows_ingest(rows=frame(texts))
    assert (first.created, first.updated) == (len(texts), 0)
    stored = dict(FeedbackItem.objects.values_list("external_id", "text"))
    assert [stored[f"k{i}"] for i in range(len(texts))] == texts
    item = FeedbackItem.objects.get(external_id="k0")
    assert (item.score, item.score_type, item.polarity) == (3.0, "nps", "negative")
    assert item.customer.external_id == "C1"
    assert item.extra == {"k": "v"}
    assert FeedbackItem.objects.get(external_id="k1").customer is None
    again = feedback_rows_ingest(rows=frame(texts))
    assert (again.created, again.updated) == (0, len(texts))
    assert sorted(again.item_ids) == sorted(first.item_ids)
    assert FeedbackItem.objects.count() == len(texts)
