"""Caching that never takes a page down: a cache outage costs the work, not the
request. Used for the counts of large tables and for drawn charts.

An entry does not vanish when it expires: it turns stale for STALE_SECONDS
more. The first request to see it stale takes a short lock and recomputes it;
the others keep answering from the stale value meanwhile. On a miss the first
request computes while the others wait for its value (up to WAIT_SECONDS, then
they compute it themselves). Without this, at 1M items every expiry of the
counts set off one 100-250 ms COUNT(*) per query shape in every server thread
at once, and for a second or so every page queued behind them.
"""

import hashlib
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, NamedTuple, TypeVar

from django.core.cache import cache

T = TypeVar("T")
# Drawn charts are keyed by what they show, so they never go stale; the
# timeout only bounds the memory they hold.
CHART_SECONDS = 3600
STALE_SECONDS = 60
LOCK_SECONDS = 30
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05


class _Entry(NamedTuple):
    value: Any
    fresh_until: float  # time.time() after which the value is stale


def _lock(key: str) -> bool:
    """True when this caller may compute `key` now (no one else is)."""
    try:
        return bool(cache.add(f"{key}:computing", 1, LOCK_SECONDS))
    except Exception:
        return True


def _store(key: str, value, timeout: int, *, unlock: bool) -> None:
    with suppress(Exception):
        if value is not None:  # None reads as a miss: never stored
            cache.set(
                key, _Entry(value, time.time() + timeout), timeout + STALE_SECONDS
            )
        if unlock:
            cache.delete(f"{key}:computing")


def _read(key: str) -> _Entry | None:
    entry = cache.get(key)
    return entry if isinstance(entry, _Entry) else None


def _wait_for(key: str) -> _Entry | None:
    """The entry another caller is computing, if it lands within WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        with suppress(Exception):
            entry = _read(key)
            if entry is not None:
                return entry
    return None


def cached(key: str, compute: Callable[[], T], timeout: int) -> T:
    """The cached value of `key`, else `compute()`, fresh for `timeout` seconds.

    When the cache does not answer, the value is computed and not stored. A
    value of None is never cached (it reads as a miss).
    """
    try:
        entry = _read(key)
    except Exception:  # an outage costs the computation, never the page
        return compute()
    if entry is not None and time.time() < entry.fresh_until:
        return entry.value
    locked = _lock(key)
    if not locked:
        if entry is None:  # another caller computes it: wait for its value
            entry = _wait_for(key)
        if entry is not None:  # stale while another caller recomputes it
            return entry.value
    value = None
    try:
        value = compute()
    finally:
        _store(key, value, timeout, unlock=locked)
    return value


def content_key(prefix: str, content: str) -> str:
    """`prefix` and a digest of `content`: one key per distinct content."""
    digest = hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()
    return f"{prefix}:{digest}"
