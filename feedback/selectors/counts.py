"""Counts over feedback items that pages repeat: cached per feedback version.

At 1M items an exact `COUNT(*)` costs 100-250 ms on PostgreSQL, and every
paginated list and the dashboard asks for one on every request. Once a
process has seen the items table hold `LARGE` rows or more (it tells the others
through the cache), those counts are
cached under the feedback version: the ranking inputs version (bumped in the
transaction of every feedback write: import, API, form, labels) plus the
highest item id (moves with any insert, even one that bypasses the services).
A cached count is therefore exact until the next write; the TTL (plus the
minute `cxplan.core.caching` serves an expired count while one request recounts)
bounds what a delete outside the services could leave stale. Below `LARGE`
nothing is cached and the queries are exactly those of an uncached page.
"""

import time
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

from cxplan.core.caching import cached, content_key

T = TypeVar("T")
TTL_SECONDS = 120
LARGE = 50_000
# When this process last counted LARGE items or more (monotonic seconds).
_large_seen_at: float | None = None
LARGE_FOR_SECONDS = 600.0


LARGE_KEY = "cxplan:feedback-counts:large"


def _note_size(rows: int) -> None:
    global _large_seen_at
    if rows >= LARGE:
        _large_seen_at = time.monotonic()
        # Tell the other processes too: each would otherwise pay one exact
        # count per query shape before caching (a web server runs several).
        with suppress(Exception):
            cache.set(LARGE_KEY, True, LARGE_FOR_SECONDS)


def feedback_is_large() -> bool:
    """Has this process, or another one, counted `LARGE` items or more recently?"""
    global _large_seen_at
    seen = _large_seen_at
    if seen is not None and time.monotonic() - seen < LARGE_FOR_SECONDS:
        return True
    try:
        shared = cache.get(LARGE_KEY)
    except Exception:  # a cache outage: count exactly
        return False
    if shared:
        _large_seen_at = time.monotonic()
    return bool(shared)


def feedback_version() -> str:
    """Ranking inputs version and highest item id, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT inputs_version FROM feedback_rankingstate "
            "ORDER BY id LIMIT 1), (SELECT MAX(id) FROM feedback_feedbackitem)"
        )
        version, top = cursor.fetchone()
    return f"{version or 0}.{top or 0}"


def cached_per_version(
    name: str, compute: Callable[[], T], *, size: Callable[[T], int] | None = None
) -> T:
    """`compute()`, cached per feedback version once the items table is large.

    `size(value)`, when given, tells how many items the value counted, so the
    first exact count switches caching on.
    """
    if not feedback_is_large():
        value = compute()
        if size is not None:
            _note_size(size(value))
        return value

    def counted() -> T:
        value = compute()
        if size is not None:
            _note_size(size(value))
        return value

    key = f"cxplan:feedback-counts:{feedback_version()}:{name}"
    return cached(key, counted, TTL_SECONDS)


def _query_key(object_list) -> str:
    sql, params = object_list.query.sql_with_params()
    return content_key("count", f"{sql}|{params!r}")


class FeedbackPaginator(Paginator):
    """A Paginator whose count of feedback items is cached per version."""

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "query"):
            return super().count
        return cached_per_version(
            "count:" + _query_key(self.object_list),
            lambda: Paginator.count.func(self),
            size=int,
        )
