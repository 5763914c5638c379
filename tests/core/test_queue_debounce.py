"""A burst of changes sends one delayed task; an outage leaves the work to the sweep."""

import pytest
from django.core.cache import cache

from cxplan.core import queue
from cxplan.core.tasks import ping

KEY = "cxplan:test:debounce"


@pytest.fixture
def sent(monkeypatch):
    cache.delete(KEY)
    calls = []
    monkeypatch.setattr(
        queue, "send", lambda task, *a, **kw: calls.append((task.name, kw)) or True
    )
    yield calls
    cache.delete(KEY)


def test_a_burst_sends_one_task_with_the_countdown(sent):
    first = queue.send_debounced(ping, key=KEY, countdown=3, hold=60)
    again = queue.send_debounced(ping, key=KEY, countdown=3, hold=60)
    assert (first, again) == (True, False)
    assert sent == [("cxplan.ping", {"countdown": 3})]


def test_once_the_task_clears_the_key_the_next_change_sends_again(sent):
    queue.send_debounced(ping, key=KEY, countdown=3, hold=60)
    cache.delete(KEY)  # what the task does when it starts
    assert queue.send_debounced(ping, key=KEY, countdown=3, hold=60) is True
    assert len(sent) == 2


def test_with_the_broker_down_the_key_is_dropped(monkeypatch):
    cache.delete(KEY)
    monkeypatch.setattr(queue, "send", lambda task, *a, **kw: False)
    assert queue.send_debounced(ping, key=KEY, countdown=3, hold=60) is False
    assert cache.get(KEY) is None  # the next change tries the broker again


def test_with_the_cache_down_nothing_raises_and_nothing_is_sent(sent, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", down)
    assert queue.send_debounced(ping, key=KEY, countdown=3, hold=60) is False
    assert sent == []
