"""Locks that serialise long work: one run at a time, across workers.

On PostgreSQL a session advisory lock: the database frees it the moment the
session holding it ends, so a killed worker never leaves a stale lock behind.
Other databases (SQLite in development and some tests) have no such lock; a
caller may ask for a cache lock with a timeout instead, or do without.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection

LockKey = int | tuple[int, int]


def _key_args(key: LockKey) -> tuple[str, list[int]]:
    """The SQL placeholders and parameters of an advisory lock key."""
    if isinstance(key, tuple):
        return "%s, %s", list(key)
    return "%s", [key]


@contextmanager
def advisory_lock(
    key: LockKey, *, fallback_key: str | None = None, fallback_timeout: int = 30 * 60
) -> Iterator[bool | None]:
    """Hold a session advisory lock for the duration of the block.

    `key` is one bigint or a pair of ints (PostgreSQL's two key spaces).
    Yields True when this session took the lock, False when another holds it.
    Elsewhere than PostgreSQL: with `fallback_key`, a cache lock under that key
    that expires after `fallback_timeout` seconds (True or False likewise);
    without it, None (no lock on this database: the caller decides).
    The lock is released on leaving the block only if it was taken.
    """
    if connection.vendor == "postgresql":
        placeholders, params = _key_args(key)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_try_advisory_lock({placeholders})", params)
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT pg_advisory_unlock({placeholders})", params)
        return
    if fallback_key is None:
        yield None
        return
    got = cache.add(fallback_key, 1, timeout=fallback_timeout)
    try:
        yield got
    finally:
        if got:
            cache.delete(fallback_key)


def advisory_lock_held(key: LockKey) -> bool | None:
    """Does any session hold the advisory lock `key` now? None off PostgreSQL.

    Read from pg_locks, so a lock whose session died reads as free at once.
    """
    if connection.vendor != "postgresql":
        return None
    # pg_locks shows a bigint key as its high and low 32 bits (objsubid 1),
    # a pair of ints as they are (objsubid 2).
    # Both columns are unsigned (oid), hence the masks.
    if isinstance(key, tuple):
        classid, objid, subid = key[0], key[1], 2
    else:
        classid, objid, subid = key >> 32, key, 1
    classid, objid = classid & 0xFFFFFFFF, objid & 0xFFFFFFFF
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = %s"
            " LIMIT 1",
            [classid, objid, subid],
        )
        return cursor.fetchone() is not None
