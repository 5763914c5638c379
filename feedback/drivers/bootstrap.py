"""The bootstrap intervals of the drivers: scipy's, on the items or a sample.

Up to SAMPLE rows the interval is scipy's percentile bootstrap of the rows
(paired: a row keeps its score and its themes). Past that, refitting on a
million rows hundreds of times is too slow for a page, so the bootstrap runs on
a seeded random sample of SAMPLE rows and its standard error is scaled by
sqrt(SAMPLE / n) to the full data (the estimates are smooth functions of
means, whose spread shrinks as 1 / sqrt(n)); the interval is then the full
data's estimate +- 1.96 of that error. `method_note` says which was used.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

SAMPLE = 10_000
RESAMPLES = 300
Z95 = float(stats.norm.ppf(0.975))


def sample_rows(n: int, seed: int) -> np.ndarray:
    """The rows the bootstrap resamples: all of them, or SAMPLE drawn at random."""
    if n <= SAMPLE:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, SAMPLE, replace=False))


def intervals(
    statistic: Callable[[np.ndarray], np.ndarray],
    rows: np.ndarray,
    n: int,
    point: np.ndarray,
    *,
    seed: int,
    vectorized: bool,
) -> list[tuple[float, float] | None]:
    """95% intervals of the vector `statistic(row indices)` (one per output).

    `rows` are the rows resampled (from `sample_rows`), `point` the estimate
    on all n rows. An output the resamples leave undefined gets None.
    """
    result = stats.bootstrap(
        (rows,),
        statistic,
        n_resamples=RESAMPLES,
        vectorized=vectorized,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    out: list[tuple[float, float] | None] = []
    if len(rows) == n:
        pairs = zip(
            result.confidence_interval.low, result.confidence_interval.high, strict=True
        )
    else:
        half = Z95 * np.asarray(result.standard_error) * np.sqrt(len(rows) / n)
        pairs = zip(point - half, point + half, strict=True)
    for low, high in pairs:
        ok = np.isfinite(low) and np.isfinite(high)
        out.append((float(low), float(high)) if ok else None)
    return out


def thin(
    cis: list[tuple[float, float] | None], matrix, rows: np.ndarray, least: int
) -> list[tuple[float, float] | None]:
    """`cis` with None for the themes (columns of `matrix`) that have fewer
    than `least` rows in the resampled `rows`: their resamples cannot tell
    their spread (a theme absent from the sample would get a zero-width one)."""
    counts = np.asarray(matrix[rows]).sum(axis=0)
    return [ci if c >= least else None for ci, c in zip(cis, counts, strict=True)]


def method_note(rows: np.ndarray, n: int) -> str:
    """How the intervals were made, for the answer's "method"."""
    if len(rows) == n:
        return f"percentile bootstrap, {RESAMPLES} resamples of the {n} rows"
    return (
        f"bootstrap of a random {len(rows)} of the {n} rows ({RESAMPLES} "
        "resamples), standard error scaled by sqrt(sample/n), normal interval"
    )
