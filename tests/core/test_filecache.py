"""The embedded mode's shared file cache: `add` is one step across processes
and threads, so a debounce key or a cache lock is taken by exactly one caller."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

from cxplan.core.filecache import SharedFileCache


def cache_in(folder) -> SharedFileCache:
    return SharedFileCache(str(folder), {})


def _adds(folder, key: str, tries: int, answers) -> None:
    cache = cache_in(folder)
    answers.put(sum(cache.add(f"{key}{i}", 1, timeout=60) for i in range(tries)))


def test_one_add_wins_among_threads(tmp_path):
    cache = cache_in(tmp_path)
    with ThreadPoolExecutor(16) as pool:
        won = list(pool.map(lambda _: cache.add("lock", 1, timeout=60), range(64)))
    assert won.count(True) == 1
    assert cache.get("lock") == 1


def test_one_add_wins_per_key_among_processes(tmp_path):
    """Four processes race for the same 200 keys: each key is won once."""
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    procs = [
        context.Process(target=_adds, args=(tmp_path, "k", 200, answers))
        for _ in range(4)
    ]
    for proc in procs:
        proc.start()
    won = [answers.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert sum(won) == 200


def test_a_deleted_or_expired_key_can_be_added_again(tmp_path):
    cache = cache_in(tmp_path)
    assert cache.add("key", 1, timeout=60)
    assert not cache.add("key", 2, timeout=60)
    cache.delete("key")
    assert cache.add("key", 3, timeout=60)
    cache.set("old", 1, timeout=-1)  # already expired
    assert cache.add("old", 4, timeout=60)
    assert cache.get("old") == 4
