"""Caching that never takes a page down: a cache outage costs the work, not the
request. Used for the counts of large tables and for drawn charts."""

import hashlib
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
# Drawn charts are keyed by what they show, so they never go stale; the
# timeout only bounds the memory they hold.
CHART_SECONDS = 3600


def cached(key: str, compute: Callable[[], T], timeout: int) -> T:
    """The cached value of `key`, else `compute()` stored for `timeout` seconds.

    When the cache does not answer, the value is computed and not stored. A
    value of None is never cached (it reads as a miss).
    """
    try:
        value = cache.get(key)
    except Exception:  # an outage costs the computation, never the page
        return compute()
    if value is None:
        value = compute()
        with suppress(Exception):
            cache.set(key, value, timeout)
    return value


def content_key(prefix: str, content: str) -> str:
    """`prefix` and a digest of `content`: one key per distinct content."""
    digest = hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()
    return f"{prefix}:{digest}"
