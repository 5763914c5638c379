"""The page caches: fresh hits, one recompute per expiry, waiting on a miss."""

import threading
import time
import uuid

import pytest
from django.core.cache import cache

from cxplan.core import caching
from cxplan.core.caching import cached


@pytest.fixture
def key():
    name = f"test:caching:{uuid.uuid4().hex}"
    yield name
    cache.delete_many([name, f"{name}:computing"])


class Counter:
    """A computation that counts its calls and returns the call number."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_a_fresh_value_is_computed_once(key):
    compute = Counter()
    assert [cached(key, compute, 60) for _ in range(3)] == [1, 1, 1]
    assert compute.calls == 1


def test_a_stale_value_is_served_while_another_caller_recomputes_it(key):
    cached(key, Counter(), 0)  # fresh for 0 s: stale at once
    assert cache.add(f"{key}:computing", 1, 30)  # someone else is recomputing
    late = Counter()
    assert cached(key, late, 60) == 1  # the stale value, no second computation
    assert late.calls == 0


def test_the_first_caller_to_see_a_stale_value_recomputes_it(key):
    cached(key, lambda: "old", 0)
    assert cached(key, lambda: "new", 60) == "new"
    assert cached(key, lambda: "newer", 60) == "new"  # fresh again
    assert cache.get(f"{key}:computing") is None  # its lock released


def test_on_a_miss_callers_wait_for_the_one_computing(key):
    assert cache.add(f"{key}:computing", 1, 30)  # the first caller took it

    def first_caller_finishes():
        time.sleep(0.2)
        caching._store(key, "theirs", 60, unlock=True)

    threading.Thread(target=first_caller_finishes).start()
    mine = Counter()
    assert cached(key, mine, 60) == "theirs"
    assert mine.calls == 0


def test_a_caller_that_waits_in_vain_computes_the_value_itself(key, monkeypatch):
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0.2)
    assert cache.add(f"{key}:computing", 1, 30)  # taken, and never delivered
    assert cached(key, lambda: "mine", 60) == "mine"


def test_a_failed_computation_frees_the_lock(key):
    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cached(key, broken, 60)
    assert cache.get(f"{key}:computing") is None
    assert cached(key, lambda: "ok", 60) == "ok"


def test_a_cache_outage_costs_the_computation_not_the_page(key, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "add", down)
    compute = Counter()
    assert cached(key, compute, 60) == 1
    assert cached(key, compute, 60) == 2  # nothing stored, nothing broken
