"""Twenty writers at once on the embedded default's SQLite: no 500, nothing lost.

A real gunicorn (2 processes x 10 threads) and the real worker run on a SQLite
file of their own (tests/reliability/embedded.py), whatever database the suite
itself uses. Each of 20 client threads posts feedback items through the API;
every item also bumps the ranking's state and sends the debounced recompute,
which the worker runs meanwhile: more writers on the same file. A 503 is
retried after its Retry-After, as a client should, so in the end every item
must be stored exactly once.
"""

import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.reliability.embedded import DB_NAME, Site

WRITERS = 20
POSTS_EACH = 5
SOURCE = "concurrency"


@pytest.fixture(scope="module")
def site():
    site = Site.fresh()
    try:
        site.start_web()
        site.start_worker()
        yield site
    finally:
        site.stop()


def post_until_accepted(site: Site, body: dict, statuses: Counter) -> None:
    """POST `body`; on 503 wait Retry-After and send it again (at most 20 times).

    A new connection each time: a kept-alive one idle through Retry-After may
    be closed by the server just as the retry goes out."""
    for _attempt in range(20):
        answer = requests.post(
            f"{site.url}/api/v1/feedback/", json=body, headers=site.headers, timeout=60
        )
        statuses[answer.status_code] += 1
        if answer.status_code != 503:
            return
        assert answer.headers["Retry-After"] == "2"
        time.sleep(float(answer.headers["Retry-After"]))
    raise AssertionError(f"still 503 after 20 tries: {body['external_id']}")


def test_twenty_concurrent_writers_get_no_500_and_lose_nothing(site):
    statuses: Counter = Counter()
    lock = threading.Lock()

    def writer(n: int) -> None:
        mine: Counter = Counter()
        for i in range(POSTS_EACH):
            body = {
                "external_id": f"w{n}-{i}",
                "source": SOURCE,
                "text": f"Writer {n} says the checkout failed on try {i}",
                "created": "2026-11-20",
                "channel": "email",
            }
            post_until_accepted(site, body, mine)
        with lock:
            statuses.update(mine)

    started = time.monotonic()
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    elapsed = time.monotonic() - started
    print(
        f"\n{WRITERS} writers x {POSTS_EACH} posts: statuses {dict(statuses)}, "
        f"{elapsed:.1f} s"
    )
    assert statuses[500] == 0, site.log("web")
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[201] == WRITERS * POSTS_EACH
    stored = site.sql(
        "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM feedback_feedbackitem"
        " WHERE source = ?",
        SOURCE,
    )[0]
    assert stored == (WRITERS * POSTS_EACH, WRITERS * POSTS_EACH)
    assert site.sql("PRAGMA journal_mode")[0][0] == "wal"


def test_a_write_that_cannot_get_the_lock_answers_503_then_succeeds(site):
    """Another connection holds the write lock past the busy timeout (10 s): the
    server says 503 with Retry-After and stores nothing; once the lock is free
    the same request is stored."""
    body = {
        "external_id": "held-1",
        "source": "held",
        "text": "Written while another writer held the lock",
        "created": "2026-11-21",
        "channel": "email",
    }
    holder = sqlite3.connect(site.var_dir / DB_NAME, timeout=30, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        answer = requests.post(
            f"{site.url}/api/v1/feedback/", json=body, headers=site.headers, timeout=60
        )
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "2"
    assert "busy" in answer.json()["detail"]
    assert waited >= 9  # it waited for the lock before giving up
    assert site.sql("SELECT COUNT(*) FROM feedback_feedbackitem WHERE source = 'held'")[
        0
    ] == (0,)
    again = requests.post(
        f"{site.url}/api/v1/feedback/", json=body, headers=site.headers, timeout=60
    )
    assert again.status_code == 201, again.text
