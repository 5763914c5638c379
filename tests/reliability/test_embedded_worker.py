"""The embedded default runs its tasks in a real worker, not inside requests.

With DATABASE_URL and REDIS_URL unset and CXPLAN_EAGER=0 (what `make run` sets),
an upload answers 202 at once and waits in the broker's folder until a worker
takes it; the worker `make run` starts (all queues, beat inside) imports it,
then runs the ranking recompute the import sent with a countdown (the
debounce), and /healthz sees that worker answer its ping through the broker
and the result files. See tests/reliability/embedded.py for the site.
"""

import time

import pytest
import requests

from tests.reliability.embedded import Site

pytestmark = pytest.mark.worker
ROWS = 2000


def csv_upload(rows: int) -> bytes:
    lines = ["external_id,text,created,channel"]
    lines += [
        f"up-{i},Checkout step {i % 7} failed and nobody called back,2026-11-"
        f"{1 + i % 28:02d},email"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def site():
    site = Site.fresh()
    try:
        yield site
    finally:
        site.stop()


def test_an_import_waits_for_the_worker_then_the_worker_runs_it(site):
    site.start_web()
    started = time.monotonic()
    answer = requests.post(
        f"{site.url}/api/v1/imports/",
        files={"file": ("upload.csv", csv_upload(ROWS), "text/csv")},
        data={"source": "upload"},
        headers=site.headers,
        timeout=60,
    )
    answered_in = time.monotonic() - started
    assert answer.status_code == 202, answer.text
    batch = answer.json()
    assert (batch["status"], batch["rows_imported"]) == ("pending", 0)

    def status() -> dict:
        return requests.get(
            f"{site.url}/api/v1/imports/{batch['id']}/",
            headers=site.headers,
            timeout=30,
        ).json()

    # No worker yet: not eager, so nothing runs it; the task waits in a file.
    time.sleep(1.5)
    assert status()["status"] == "pending"
    assert list((site.var_dir / "broker" / "queue").glob("*.imports.msg"))

    site.start_worker()
    worker_started = time.monotonic()
    done = wait_for(
        lambda: (s := status())["status"] in {"done", "failed"} and s,
        timeout=90,
        what="the worker to finish the import",
    )
    imported_in = time.monotonic() - worker_started
    assert done["status"] == "done", done
    assert done["rows_imported"] == ROWS
    count = "SELECT COUNT(*) FROM feedback_feedbackitem WHERE source = 'upload'"
    assert site.sql(count) == [(ROWS,)]

    # The import sent the debounced ranking recompute (a countdown); the worker
    # runs it once the countdown is over: the ranking is no longer dirty.
    def ranking_caught_up() -> bool:
        rows = site.sql(
            "SELECT computed_version >= inputs_version FROM feedback_rankingstate"
        )
        return bool(rows) and rows[0][0] == 1

    wait_for(ranking_caught_up, timeout=60, what="the ranking recompute")
    assert "feedback.tasks.recompute_ranking" in site.log("worker")

    health = requests.get(f"{site.url}/healthz", timeout=30).json()
    assert health["status"] == "ok", health
    assert "mode" not in health["workers"]  # a real round trip, not eager
    print(
        f"\nupload of {ROWS} rows answered 202 in {answered_in * 1000:.0f} ms;"
        f" the worker imported it in {imported_in:.1f} s after it started;"
        f" /healthz worker ping {health['workers']['ms']} ms"
    )


def test_without_a_worker_healthz_says_the_workers_are_failing(site):
    site.start_web()
    body = requests.get(f"{site.url}/healthz", timeout=30).json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["workers"] == {"ok": False, "error": "failing"}
    assert body["status"] == "degraded"
