"""p_top3: how often a theme stays in the top three when the items are resampled.

Pure: NumPy. Each resample redraws every group's count from a Poisson around
it, then scores and orders the themes with the same formula as the ranking.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from feedback.ranking.formula import Weights, _order, _score
from feedback.ranking.groups import _Design

TOP = 3
# Draws per chunk of resamples. At 8 million the chunk's temporaries were 16-64
# MB each, above glibc's mmap threshold (32 MB at most), so every chunk got
# fresh zeroed pages from the kernel and the two threads queued for them: 200
# resamples at 1M items took 0.72-0.82 s; at 4 million, 0.47-0.52 s.
_CHUNK_DRAWS = 4_000_000
# numpy and scipy release the GIL in the heavy loops, so two threads use two cores.
_THREADS = min(2, os.cpu_count() or 1)


def _p_top3(
    design: _Design,
    votes: np.ndarray,
    weights: Weights,
    name_rank: np.ndarray,
    bootstrap: int,
    seed: int,
) -> np.ndarray | None:
    """Share of Poisson resamples in which each theme ranks in the top three.

    Resamples run in chunks, each with its own random stream spawned from `seed`,
    so the answer does not depend on how the chunks are spread over threads.
    """
    if bootstrap == 0:
        return None
    step = max(1, min(bootstrap, _CHUNK_DRAWS // max(len(design.small.n), 1)))
    sizes = [min(step, bootstrap - done) for done in range(0, bootstrap, step)]
    streams = np.random.SeedSequence(seed).spawn(len(sizes))

    def top_counts(size: int, stream: np.random.SeedSequence) -> np.ndarray:
        totals = design.totals(*design.draw(np.random.default_rng(stream), size))
        score = _score(totals, votes, weights).score
        order = _order(score, totals.customers, name_rank)
        return np.bincount(order[:TOP].ravel(), minlength=design.n_themes)

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        hits = sum(pool.map(top_counts, sizes, streams))
    return hits / bootstrap
