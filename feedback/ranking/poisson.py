"""Exact Poisson draws for small counts, from lookup tables (the bootstrap's
hot loop).

Pure: NumPy. A draw for a count n <= _TABLE_MAX_N takes 16 random bits as an
index into a table of n's inverse CDF; the few table cells that straddle a CDF
step are refined with a fresh uniform, so the draws follow Poisson(n) exactly.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

# Poisson draws for small counts come from a lookup table indexed by 16 random bits;
# the few table cells that straddle a CDF step are refined exactly (see _SmallRows).
_TABLE_MAX_N = 64
_CELLS = 1 << 16
_AMBIGUOUS = 255
# Table lookups take intp indices, 8 bytes a draw: converted 256k draws (2 MB,
# within L2) at a time rather than a whole chunk's 32 MB at once.
_PIECE_DRAWS = 1 << 18


@lru_cache(maxsize=_TABLE_MAX_N)
def _poisson_cdf(n: int) -> np.ndarray:
    """P(X <= k) for X ~ Poisson(n), far enough that the rest is below 1e-30."""
    k = np.arange(int(n + 12 * math.sqrt(n) + 30))
    log_factorial = np.concatenate(([0.0], np.cumsum(np.log(k[1:]))))
    return np.cumsum(np.exp(k * math.log(n) - n - log_factorial))


@lru_cache(maxsize=_TABLE_MAX_N)
def _poisson_table(n: int) -> np.ndarray:
    """Draw value for each 16-bit cell of [0, 1); _AMBIGUOUS where a CDF step is
    inside the cell, so those draws need more random bits to decide."""
    cdf = _poisson_cdf(n)
    edges = np.arange(_CELLS + 1) / _CELLS
    at_low = np.searchsorted(cdf, edges[:-1], side="right")
    below_high = np.searchsorted(cdf, edges[1:], side="left")
    table = np.where(at_low == below_high, at_low, _AMBIGUOUS).astype(np.uint16)
    table.setflags(write=False)
    return table


class _SmallRows(NamedTuple):
    """Rows with n <= _TABLE_MAX_N, sorted by n so each n is one block."""

    n: np.ndarray
    blocks: list[tuple[int, int, int]]  # (start, stop, n)

    @classmethod
    def of(cls, n: np.ndarray) -> _SmallRows:
        """Rows for counts `n`, already sorted ascending, each 1.._TABLE_MAX_N."""
        values, starts = np.unique(n, return_index=True)
        stops = np.append(starts[1:], len(n))[: len(starts)]
        blocks = [
            (int(a), int(b), int(v))
            for a, b, v in zip(starts, stops, values, strict=True)
        ]
        return cls(np.asarray(n), blocks)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Poisson(n) counts shaped (rows, size) as uint16, by inverse CDF.

        16 random bits pick a table cell; a cell holding a CDF step gets a fresh
        uniform to place the draw inside the cell, so the draws are exact.
        """
        bits = rng.integers(0, _CELLS, size=(len(self.n), size), dtype=np.uint16)
        draws = np.empty(bits.shape, dtype=np.uint16)
        # np.take is much faster with intp indices than with uint16 ones; they
        # are converted a cache-sized piece at a time (see _PIECE_DRAWS).
        piece = max(1, _PIECE_DRAWS // max(size, 1))
        for start, stop, n in self.blocks:
            table = _poisson_table(n)
            for a in range(start, stop, piece):
                b = min(stop, a + piece)
                np.take(table, bits[a:b].astype(np.intp), out=draws[a:b], mode="clip")
        flat = draws.reshape(-1)
        pending = np.flatnonzero(flat == _AMBIGUOUS)
        if pending.size:
            lam = self.n[pending // size]
            uniform = (bits.reshape(-1)[pending] + rng.random(pending.size)) / _CELLS
            values = np.empty(pending.size, dtype=np.int64)
            for n in np.unique(lam):
                chosen = lam == n
                cdf = _poisson_cdf(int(n))
                values[chosen] = np.searchsorted(cdf, uniform[chosen], side="right")
            flat[pending] = np.minimum(values, _AMBIGUOUS - 1)
        return draws
