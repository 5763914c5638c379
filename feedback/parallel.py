"""Spreading CPU-bound work over the cores with joblib's loky process pool.

`map_in_processes(function, parts)` runs `function(part)` for each part in up
to `workers` processes and returns the results in order, or runs them here
when a pool cannot or should not be used (one worker, or not the main thread:
joblib refuses process pools below threads, as in a threaded web server).

Celery's prefork children are daemonic processes, which Python does not let
start processes of their own, so joblib would silently fall back to one
process in exactly the place (the analytics and imports tasks) that needs
both cores. For the duration of the call the child is marked non-daemonic:
loky's workers watch their parent and stop when it goes, so nothing is left
behind if the Celery child is killed (they also stop after 300 s idle).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import TypeVar

from joblib import Parallel, delayed

P = TypeVar("P")
R = TypeVar("R")


@contextmanager
def _children_allowed():
    config = multiprocessing.current_process()._config  # noqa: SLF001
    daemon = config.get("daemon")
    if daemon:
        config["daemon"] = False
    try:
        yield
    finally:
        if daemon:
            config["daemon"] = daemon


def can_spread(workers: int) -> bool:
    """Would `map_in_processes` use a pool of this many workers here?"""
    return workers > 1 and threading.current_thread() is threading.main_thread()


def map_in_processes(
    function: Callable[[P], R], parts: Sequence[P], *, workers: int
) -> list[R]:
    """[function(part) for part in parts], in a process pool when it can be."""
    if not can_spread(min(workers, len(parts))):
        return [function(part) for part in parts]
    with _children_allowed():
        return Parallel(n_jobs=min(workers, len(parts)), backend="loky")(
            delayed(function)(part) for part in parts
        )


def pool_shutdown() -> None:
    """Stop this process's pool, if it started one (a worker process ending)."""
    from joblib.externals.loky import reusable_executor

    if reusable_executor._executor is not None:  # noqa: SLF001 - no public probe
        reusable_executor.get_reusable_executor().shutdown(wait=True)
