"""Cached counts of large feedback tables stay exact and keep the queries flat."""

import pandas as pd
import pytest
from django.core.cache import cache

from feedback.selectors import counts
from feedback.services.ingest import feedback_rows_ingest
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/feedback/"


@pytest.fixture
def large(monkeypatch):
    """Treat three items as "large", so caching is on, and start cold."""
    monkeypatch.setattr(counts, "LARGE", 3)
    monkeypatch.setattr(counts, "_large_seen_at", None)
    cache.clear()
    yield
    cache.clear()


def rows(*texts):
    return pd.DataFrame(
        {
            "text": list(texts),
            "created": pd.Timestamp("2026-10-01T12:00:00Z"),
            "channel": "survey",
            "source": "counts",
        }
    )


def test_cached_counts_follow_every_write(large, advisor, as_user):
    client = as_user(advisor)
    for _ in range(3):
        FeedbackItemFactory()
    assert client.get(URL).json()["count"] == 3  # exact; switches caching on
    assert counts.feedback_is_large()
    assert client.get(URL).json()["count"] == 3  # from the cache
    feedback_rows_ingest(rows=rows("one more", "and another"))
    assert client.get(URL).json()["count"] == 5
    FeedbackItemFactory()  # an insert outside the services moves the max id
    assert client.get(URL).json()["count"] == 6


def test_a_cached_count_costs_no_more_queries_than_an_exact_one(
    large, advisor, as_user, django_assert_max_num_queries
):
    client = as_user(advisor)
    for _ in range(3):
        FeedbackItemFactory()
    client.get(URL)  # exact count, warms roles and the cache
    with django_assert_max_num_queries(8) as warm:
        client.get(URL)
    # Each request empties Django's query log: keep the figure now.
    warm_queries = len(warm.captured_queries)
    for _ in range(20):
        FeedbackItemFactory()
    client.get(URL)  # first page after the writes: counts again
    with django_assert_max_num_queries(warm_queries):
        assert client.get(URL).json()["count"] == 23


def test_small_tables_are_never_cached(advisor, as_user, monkeypatch):
    monkeypatch.setattr(counts, "_large_seen_at", None)
    cache.clear()
    client = as_user(advisor)
    FeedbackItemFactory()
    assert client.get(URL).json()["count"] == 1
    assert not counts.feedback_is_large()


def test_a_process_that_never_counted_learns_the_table_is_large_from_the_cache(
    large, advisor, as_user, monkeypatch
):
    client = as_user(advisor)
    for _ in range(3):
        FeedbackItemFactory()
    client.get(URL)  # another web process counts exactly
    monkeypatch.setattr(counts, "_large_seen_at", None)  # this one never did
    assert counts.feedback_is_large()
    cache.delete(counts.LARGE_KEY)
    monkeypatch.setattr(counts, "_large_seen_at", None)
    assert not counts.feedback_is_large()
