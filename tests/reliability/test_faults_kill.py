"""kill -9 of the worker child in the middle of work: nothing lost, same result.

A real prefork worker (one child) on a private Redis and the PostgreSQL test
database. Each round makes the ranking dirty, sends the recompute, waits until
the child is inside it (`running_since` set), kills the child with SIGKILL and
waits for the redelivered task (acks_late + task_reject_on_worker_lost) to finish.
Rounds: RELIABILITY_KILLS (default 8).
"""

import json
import os
import time

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from cxplan.core.queue import send
from feedback.models import RankingSnapshot, RankingState
from feedback.services.ranking import ranking_compute
from feedback.services.ranking_state import ranking_mark_dirty, ranking_state_get
from feedback.tasks import recompute_ranking
from tests.reliability.conftest import wait_until
from tests.reliability.seed import seed_ranking_world

KILLS = int(os.environ.get("RELIABILITY_KILLS", "8"))
FIGURES = {}


def _plain(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _state() -> RankingState:
    return RankingState.objects.get(pk=ranking_state_get().pk)


def _done(version: int):
    state = _state()
    if state.computed_version >= version and state.running_since is None:
        return state
    return None


@pytest.mark.django_db(transaction=True)
def test_recompute_survives_kill_9_of_its_worker_child(rel_worker):
    seed_ranking_world()
    killed_mid_run = 0
    recoveries = []
    started = time.monotonic()
    for _round in range(KILLS):
        ranking_mark_dirty(enqueue=False)
        version = _state().inputs_version
        assert send(recompute_ranking), "the private broker refused the task"
        wait_until(
            lambda: _state().running_since is not None or _done(version),  # noqa: B023
            timeout=30,
            every=0.01,
            what="the recompute to start",
        )
        before = _state()
        if before.running_since is None:
            continue  # it finished before we saw it; nothing was killed this round
        rel_worker.kill_child()
        killed_at = time.monotonic()
        if _state().computed_version < version:
            killed_mid_run += 1
        wait_until(lambda: _done(version), timeout=60, every=0.05, what="recovery")  # noqa: B023
        recoveries.append(time.monotonic() - killed_at)
    elapsed = time.monotonic() - started

    state = _state()
    assert state.computed_version == state.inputs_version, "the ranking is still dirty"
    assert killed_mid_run >= max(1, KILLS // 2), (
        f"only {killed_mid_run} of {KILLS} kills landed inside a recompute"
    )
    latest = RankingSnapshot.objects.order_by("-inputs_version", "-id").first()
    assert latest.inputs_version == state.inputs_version
    # No version was written twice: an older or repeated run never adds a snapshot.
    versions = list(RankingSnapshot.objects.values_list("inputs_version", flat=True))
    assert len(versions) == len(set(versions))
    # A clean run over the same data and state gives the same themes and scores.
    clean = ranking_compute(state=state)
    assert _plain(latest.themes) == _plain(clean["themes"])
    assert [t["theme"] for t in latest.themes][:3] == [
        "App log-in",
        "Slow refunds",
        "Billing errors",
    ]
    FIGURES["recompute"] = {
        "rounds": KILLS,
        "killed_mid_run": killed_mid_run,
        "recovery_max_s": round(max(recoveries), 2),
        "recovery_mean_s": round(sum(recoveries) / len(recoveries), 2),
        "total_s": round(elapsed, 1),
    }
    print("FIGURES", FIGURES)


def _csv(rows: int, *, tag: str) -> bytes:
    lines = ["external_id,text,created,channel,customer_id,annual_revenue"]
    for n in range(rows):
        lines.append(
            f"{tag}-{n:06d},Refund number {n} took weeks and nobody answered,"
            f"2026-11-{1 + n % 19:02d},ticket,K{n % 400:04d},{1000 + n % 7}"
        )
    return ("\n".join(lines) + "\n").encode()


IMPORT_KILLS = int(os.environ.get("RELIABILITY_IMPORT_KILLS", "5"))
IMPORT_ROWS = 4000


@pytest.mark.django_db(transaction=True)
def test_import_survives_kill_9_of_its_worker_child(rel_worker):
    """Each round uploads the same file again (a re-import updates, never adds):
    after every kill the batch still finishes, and the table holds exactly one
    item per row of the file."""
    from feedback.models import FeedbackItem, ImportBatch
    from feedback.services.imports import import_batch_create

    data = _csv(IMPORT_ROWS, tag="kill")
    killed_mid_run = 0
    recoveries = []
    batches = []
    started = time.monotonic()
    try:
        for _round in range(IMPORT_KILLS):
            batch = import_batch_create(
                file=data, source="reliability", original_name="kill.csv"
            )
            batches.append(batch)

            def status(pk=batch.pk):
                return ImportBatch.objects.values_list("status", flat=True).get(pk=pk)

            wait_until(
                lambda: status() != ImportBatch.Status.PENDING,  # noqa: B023
                timeout=30,
                every=0.01,
                what="the import to start",
            )
            if status() == ImportBatch.Status.RUNNING:
                rel_worker.kill_child()
                killed_mid_run += status() == ImportBatch.Status.RUNNING
            killed_at = time.monotonic()
            wait_until(
                lambda: (
                    status()  # noqa: B023
                    in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED)
                ),
                timeout=60,
                every=0.05,
                what="the killed import to finish",
            )
            recoveries.append(time.monotonic() - killed_at)
            final = ImportBatch.objects.get(pk=batch.pk)
            assert final.status == ImportBatch.Status.DONE, final.errors
            assert final.rows_imported == IMPORT_ROWS
            items = FeedbackItem.objects.filter(source="reliability")
            assert items.count() == IMPORT_ROWS  # nothing lost, no duplicates
            assert items.values("external_id").distinct().count() == IMPORT_ROWS
    finally:
        for batch in batches:
            batch.file.delete(save=False)
    assert killed_mid_run >= max(1, IMPORT_KILLS // 2), killed_mid_run
    FIGURES["import"] = {
        "rounds": IMPORT_KILLS,
        "rows": IMPORT_ROWS,
        "killed_mid_run": killed_mid_run,
        "recovery_max_s": round(max(recoveries), 2),
        "total_s": round(time.monotonic() - started, 1),
    }
    print("FIGURES", FIGURES)
