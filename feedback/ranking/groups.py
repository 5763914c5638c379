"""The feedback groups laid out as sparse sums: totals per theme for any counts.

Pure: NumPy, pandas and SciPy. `_Design.build` reads the groups once; then the
totals of the observed counts, or of a resample of them, cost a few sparse
products. A customer's revenue is the largest revenue seen on its rows (they
should agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from feedback.ranking.formula import _Totals
from feedback.ranking.poisson import _TABLE_MAX_N, _SmallRows

GROUP_COLUMNS = ("theme_id", "customer_id", "negative", "recent", "n", "revenue")


def _ones(
    rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], dtype: type
) -> sparse.csr_array:
    """A sparse 0/1 matrix of `shape` with ones at (rows, cols)."""
    data = np.ones(len(rows), dtype=dtype)
    return sparse.csr_array((data, (rows, cols)), shape=shape)


def _position_in_group(group: np.ndarray) -> np.ndarray:
    """0, 1, 2... counting the earlier elements with the same group value."""
    order = np.argsort(group, kind="stable")
    ordered = group[order]
    position = np.empty(len(group), dtype=np.int64)
    position[order] = np.arange(len(group)) - np.searchsorted(ordered, ordered)
    return position


class _Rows(NamedTuple):
    theme: np.ndarray  # position of the theme id in the sorted active ids
    customer: pd.Series
    negative: np.ndarray
    recent: np.ndarray
    n: np.ndarray
    revenue: np.ndarray


def _read_groups(groups: pd.DataFrame, theme_ids: list[int]) -> _Rows:
    """Check the columns and keep the rows of active themes with n > 0."""
    if len(groups):
        missing = [c for c in GROUP_COLUMNS if c not in groups.columns]
        if missing:
            raise ValueError(f"groups lack columns: {', '.join(missing)}")
    else:
        groups = pd.DataFrame({c: [] for c in GROUP_COLUMNS})
    theme = pd.Index(theme_ids).get_indexer(groups["theme_id"])
    n = groups["n"].to_numpy(dtype=np.int64)
    revenue = groups["revenue"].to_numpy(dtype=float, na_value=0.0)
    if (n < 0).any() or (revenue < 0).any():
        raise ValueError("groups: n and revenue must be >= 0")
    keep = (theme >= 0) & (n > 0)
    return _Rows(
        theme=theme[keep],
        customer=groups["customer_id"][keep],
        negative=groups["negative"].to_numpy(dtype=bool)[keep],
        recent=groups["recent"].to_numpy(dtype=bool)[keep],
        n=n[keep],
        revenue=revenue[keep],
    )


@dataclass
class _Design:
    """The groups laid out as sparse sums, so one resample costs a few products.

    Known customers: the rows become one cell per (theme, customer, negative,
    recent) and cells are summed per (theme, customer) pair, which decides whether
    the customer counts (total > 0) and whether its revenue is at risk (negatives
    > 0). Cells without a customer only ever add up, so they collapse to one
    Poisson count per (theme, negative, recent) slot. Cells with n above
    _TABLE_MAX_N are rare and drawn with numpy's Poisson sampler instead.
    """

    n_themes: int
    n: np.ndarray  # item count of every kept input row
    known: np.ndarray  # kept rows with a customer
    cell_of_known: np.ndarray
    n_cells: int
    small: _SmallRows
    small_cells: np.ndarray
    # rows: pair totals, pair negatives, then (total, negatives, recent) per bucket
    small_matrix: sparse.csr_array
    bucket_to_theme: sparse.csr_array
    big_n: np.ndarray
    big_cells: np.ndarray
    big_pairs: np.ndarray
    # rows: pair totals, pair negatives, theme totals, negatives, recent
    big_matrix: sparse.csr_array
    anon_n: np.ndarray
    anon_rows: np.ndarray
    anon_slot: np.ndarray
    anon_matrix: np.ndarray  # (3 * themes, slots): totals, negatives, recent
    to_theme: sparse.csr_array  # (themes, pairs); pairs are sorted by theme
    pair_starts: np.ndarray
    pair_revenue: np.ndarray

    @classmethod
    def build(cls, groups: pd.DataFrame, theme_ids: list[int]) -> _Design:
        """Lay out the groups of the given themes (rows of other themes dropped)."""
        themes = len(theme_ids)
        theme, customer, negative, recent, n, revenue = _read_groups(groups, theme_ids)
        anon = customer.isna().to_numpy()

        known = np.flatnonzero(~anon)
        codes, uniques = pd.factorize(customer.iloc[known], sort=True)
        width = max(len(uniques), 1)
        customer_revenue = np.zeros(len(uniques))
        np.maximum.at(customer_revenue, codes, revenue[known])
        pair_keys, pair = np.unique(theme[known] * width + codes, return_inverse=True)
        pairs = len(pair_keys)
        pair_theme = pair_keys // width
        cell_keys, cell_of_known = np.unique(
            pair * 4 + negative[known] * 2 + recent[known], return_inverse=True
        )
        cell_n = np.bincount(cell_of_known, weights=n[known], minlength=len(cell_keys))
        cell_n = cell_n.astype(np.int64)
        cell_pair, cell_theme = cell_keys // 4, pair_theme[cell_keys // 4]
        cell_negative, cell_recent = (cell_keys // 2) % 2 == 1, cell_keys % 2 == 1

        is_small = cell_n <= _TABLE_MAX_N
        small_cells = np.flatnonzero(is_small)
        small_cells = small_cells[np.argsort(cell_n[small_cells], kind="stable")]
        # Buckets of at most 256 cells keep every uint16 sum below 256 * 254.
        small_theme = cell_theme[small_cells]
        bucket_keys, bucket = np.unique(
            small_theme * (len(small_cells) + 1)
            + _position_in_group(small_theme) // 256,
            return_inverse=True,
        )
        buckets = len(bucket_keys)
        neg, rec = cell_negative[small_cells], cell_recent[small_cells]
        col = np.arange(len(small_cells))
        small_matrix = _ones(
            np.concatenate(
                (
                    cell_pair[small_cells],
                    pairs + cell_pair[small_cells][neg],
                    2 * pairs + 3 * bucket,
                    2 * pairs + 3 * bucket[neg] + 1,
                    2 * pairs + 3 * bucket[rec] + 2,
                )
            ),
            np.concatenate((col, col[neg], col, col[neg], col[rec])),
            (2 * pairs + 3 * buckets, len(small_cells)),
            np.uint16,
        )

        big_cells = np.flatnonzero(~is_small)
        big_pairs, big_pair = np.unique(cell_pair[big_cells], return_inverse=True)
        neg, rec = cell_negative[big_cells], cell_recent[big_cells]
        big_theme, col = cell_theme[big_cells], np.arange(len(big_cells))
        top = 2 * len(big_pairs)
        big_matrix = _ones(
            np.concatenate(
                (
                    big_pair,
                    len(big_pairs) + big_pair[neg],
                    top + big_theme,
                    top + themes + big_theme[neg],
                    top + 2 * themes + big_theme[rec],
                )
            ),
            np.concatenate((col, col[neg], col, col[neg], col[rec])),
            (top + 3 * themes, len(big_cells)),
            np.int64,
        )

        anon_rows = np.flatnonzero(anon)
        slots, anon_slot = np.unique(
            theme[anon_rows] * 4 + negative[anon_rows] * 2 + recent[anon_rows],
            return_inverse=True,
        )
        anon_n = np.bincount(anon_slot, weights=n[anon_rows], minlength=len(slots))
        anon_matrix = np.zeros((3, themes, len(slots)), dtype=np.int64)
        col = np.arange(len(slots))
        anon_matrix[0, slots // 4, col] = 1
        anon_matrix[1, slots // 4, col] = (slots // 2) % 2
        anon_matrix[2, slots // 4, col] = slots % 2

        return cls(
            n_themes=themes,
            n=n,
            known=known,
            cell_of_known=cell_of_known,
            n_cells=len(cell_keys),
            small=_SmallRows.of(cell_n[small_cells]),
            small_cells=small_cells,
            small_matrix=small_matrix,
            bucket_to_theme=_ones(
                bucket_keys // (len(small_cells) + 1),
                np.arange(buckets),
                (themes, buckets),
                np.int64,
            ),
            big_n=cell_n[big_cells],
            big_cells=big_cells,
            big_pairs=big_pairs,
            big_matrix=big_matrix,
            anon_n=anon_n.astype(np.int64),
            anon_rows=anon_rows,
            anon_slot=anon_slot,
            anon_matrix=anon_matrix.reshape(3 * themes, len(slots)),
            to_theme=_ones(pair_theme, np.arange(pairs), (themes, pairs), np.int32),
            pair_starts=np.searchsorted(pair_theme, np.arange(themes + 1)),
            pair_revenue=customer_revenue[pair_keys % width],
        )

    def draw(
        self, rng: np.random.Generator, size: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One Poisson resample per column: (small, big, anonymous) counts."""
        small = self.small.draw(rng, size)
        big = rng.poisson(self.big_n[:, None], size=(len(self.big_n), size))
        anon = rng.poisson(self.anon_n[:, None], size=(len(self.anon_n), size))
        return small, big, anon

    def totals_from_counts(self, counts: np.ndarray) -> _Totals:
        """Totals for item counts given per kept input row, shaped (rows, columns)."""
        counts = np.asarray(counts, dtype=np.int64)
        cells = np.zeros((self.n_cells, counts.shape[1]), dtype=np.int64)
        np.add.at(cells, self.cell_of_known, counts[self.known])
        anon = np.zeros((len(self.anon_n), counts.shape[1]), dtype=np.int64)
        np.add.at(anon, self.anon_slot, counts[self.anon_rows])
        return self.totals(cells[self.small_cells], cells[self.big_cells], anon)

    def totals(self, small: np.ndarray, big: np.ndarray, anon: np.ndarray) -> _Totals:
        """Per-theme figures from small-cell, big-cell and anonymous-slot counts.

        uint16 small counts (the resamples, each < 255) are summed in uint16, which
        the bucket layout keeps from overflowing; other dtypes are summed in int64.
        """
        themes, size = self.n_themes, anon.shape[1]
        pairs = self.to_theme.shape[1]
        matrix = self.small_matrix
        if small.dtype != np.uint16:
            matrix = matrix.astype(np.int64)
        sums = matrix @ small
        seen, hurt = sums[:pairs] > 0, sums[pairs : 2 * pairs] > 0
        by_bucket = sums[2 * pairs :].reshape(-1, 3 * size).astype(np.int64)
        linear = (self.bucket_to_theme @ by_bucket).reshape(themes, 3, size)
        if len(self.big_n):
            extra = self.big_matrix @ big
            top = len(self.big_pairs)
            seen[self.big_pairs] |= extra[:top] > 0
            hurt[self.big_pairs] |= extra[top : 2 * top] > 0
            linear += extra[2 * top :].reshape(3, themes, size).transpose(1, 0, 2)
        anon_sums = (self.anon_matrix @ anon).reshape(3, themes, size)
        bounds = zip(self.pair_starts[:-1], self.pair_starts[1:], strict=True)
        revenue = [self.pair_revenue[a:b] @ hurt[a:b] for a, b in bounds]
        return _Totals(
            customers=self.to_theme @ seen + anon_sums[0],
            mentions=linear[:, 0, :] + anon_sums[0],
            negatives=linear[:, 1, :] + anon_sums[1],
            recent=linear[:, 2, :] + anon_sums[2],
            revenue=np.stack(revenue).reshape(themes, size),
        )
