"""Process pools for CPU-bound work, also from inside a Celery prefork child."""

import json
import os
import subprocess
import sys
from pathlib import Path

from feedback.parallel import map_in_processes

ROOT = Path(__file__).resolve().parents[2]


def _whoami(_part) -> int:
    return os.getpid()


def _from_a_daemonic_child(_job) -> tuple[int, bool, list[int]]:
    import multiprocessing

    from joblib.externals.loky import get_reusable_executor

    daemonic = bool(multiprocessing.current_process().daemon)
    pids = map_in_processes(_whoami, [1, 2, 3, 4], workers=2)
    # A worker keeps its pool for the next task; this one stops it so that the
    # test's pipes close.
    get_reusable_executor().shutdown(wait=True)
    return os.getpid(), daemonic, pids


def test_parts_run_in_other_processes_and_come_back_in_order():
    assert map_in_processes(str, [3, 1, 2], workers=2) == ["3", "1", "2"]
    pids = map_in_processes(_whoami, [1, 2, 3, 4], workers=2)
    assert os.getpid() not in pids


def test_a_celery_prefork_child_still_gets_a_pool():
    # Celery's prefork children are billiard pool processes, marked daemonic;
    # without help joblib would quietly run everything in the child itself.
    # A fresh interpreter, as a Celery worker is: this one may hold a pool
    # already, which a forked child must not inherit.
    done = subprocess.run(
        [sys.executable, __file__],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    child, daemonic, pids = json.loads(done.stdout.strip().splitlines()[-1])
    assert daemonic
    assert pids and child not in pids


def test_one_worker_runs_here():
    assert map_in_processes(_whoami, [1, 2], workers=1) == [os.getpid()] * 2


if __name__ == "__main__":
    from billiard import Pool

    with Pool(1) as pool:
        print(json.dumps(pool.map(_from_a_daemonic_child, [0])[0]))
