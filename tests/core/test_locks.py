"""The advisory lock refuses a second session, and says who holds it."""

import pytest
from django.db import connection, connections

from cxplan.core.locks import advisory_lock, advisory_lock_held

pytestmark = pytest.mark.django_db

KEYS = [0x7E3E_0F00, (0x7E3E_0F01, 42), 0x1_0000_0005, (-3, -4)]


def _other_session_takes(key) -> bool:
    args = list(key) if isinstance(key, tuple) else [key]
    placeholders = ", ".join(["%s"] * len(args))
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT pg_try_advisory_lock({placeholders})", args)
            got = cursor.fetchone()[0]
            if got:
                cursor.execute(f"SELECT pg_advisory_unlock({placeholders})", args)
        return got
    finally:
        other.close()


@pytest.mark.parametrize("key", KEYS)
def test_a_held_lock_is_refused_to_another_session_and_freed_after(key):
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    assert advisory_lock_held(key) is False
    with advisory_lock(key) as got:
        assert got is True
        assert advisory_lock_held(key) is True
        assert _other_session_takes(key) is False
    assert advisory_lock_held(key) is False
    assert _other_session_takes(key) is True


def test_a_single_key_and_a_pair_are_different_locks():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    with advisory_lock(42):
        assert advisory_lock_held((0, 42)) is False
        with advisory_lock((0, 42)) as got:
            assert got is True


def test_off_postgresql_the_fallback_is_a_cache_lock_or_none(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with advisory_lock(7) as got:
        assert got is None
    with advisory_lock(7, fallback_key="cxplan:test:lock") as got:
        assert got is True
        with advisory_lock(7, fallback_key="cxplan:test:lock") as again:
            assert again is False
    with advisory_lock(7, fallback_key="cxplan:test:lock") as got:
        assert got is True
    assert advisory_lock_held(7) is None
