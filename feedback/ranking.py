"""Rank themes from pre-aggregated feedback groups (DESIGN.md, "Ranking").

Pure computation: no Django and no ORM. The database groups the window's items by
(theme, customer, negative, recent) and hands over one row per group; this module
scores the themes, orders them and estimates with a bootstrap how often each theme
would stay in the top three if the window's items had come out slightly differently.

Conventions the spec leaves open, decided here:
- trend_t = recent / (older / 2) - 1; with no older mentions it is 1.0 when the theme
  has recent mentions (a new theme counts as "doubling", not as infinite growth) and
  0.0 when it has none.
- negative_share_t is 0 for a theme with no items, and its Wilson interval is (0, 1):
  the limit of the Wilson interval as the number of items goes to 0 (no evidence).
- Scores are rounded to 12 decimals before comparing, so that float noise between two
  sums that are equal on paper never breaks a tie; ties go to more customers, then to
  the name (case-insensitive), then to the smaller theme id.
- A customer's revenue is the largest revenue seen on its rows (they should agree).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from numbers import Real
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

COMPONENTS = ("customers", "revenue_at_risk", "negative_share", "trend", "votes")
GROUP_COLUMNS = ("theme_id", "customer_id", "negative", "recent", "n", "revenue")
WILSON_Z = 1.959964
TOP = 3

# Poisson draws for small counts come from a lookup table indexed by 16 random bits;
# the few table cells that straddle a CDF step are refined exactly (see _SmallRows).
_TABLE_MAX_N = 64
_CELLS = 1 << 16
_AMBIGUOUS = 255
# Draws per chunk of resamples. At 8 million the chunk's temporaries were 16-64
# MB each, above glibc's mmap threshold (32 MB at most), so every chunk got
# fresh zeroed pages from the kernel and the two threads queued for them: 200
# resamples at 1M items took 0.72-0.82 s; at 4 million, 0.47-0.52 s.
_CHUNK_DRAWS = 4_000_000
# Table lookups take intp indices, 8 bytes a draw: converted 256k draws (2 MB,
# within L2) at a time rather than a whole chunk's 32 MB at once.
_PIECE_DRAWS = 1 << 18
# numpy and scipy release the GIL in the heavy loops, so two threads use two cores.
_THREADS = min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Weights:
    """Weights of the five normalised components; stored with every snapshot."""

    customers: float = 0.35
    revenue_at_risk: float = 0.35
    negative_share: float = 0.15
    trend: float = 0.10
    votes: float = 0.05

    def __post_init__(self):
        for name in COMPONENTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Real):
                raise ValueError(f"weight {name!r} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name!r} must be finite and >= 0")
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("weights: at least one weight must be above 0")

    def as_dict(self) -> dict[str, float]:
        """The weights as {component: float}, in the order of COMPONENTS."""
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Weights:
        """Weights from a mapping such as a stored snapshot or a form.

        Missing components keep their default; unknown keys, non-numbers, negative
        or non-finite values and all-zero weights raise ValueError naming the field.
        """
        values = {}
        for name, value in data.items():
            if name not in COMPONENTS:
                raise ValueError(
                    f"unknown weight {name!r}; expected one of {COMPONENTS}"
                )
            if isinstance(value, bool):
                raise ValueError(f"weight {name!r} must be a number, got {value!r}")
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                raise ValueError(
                    f"weight {name!r} must be a number, got {value!r}"
                ) from None
        return cls(**values)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class ThemeScore:
    """One ranked theme: raw figures, normalised components and stability."""

    rank: int
    theme_id: int
    theme: str
    score: float
    customers: int
    mentions: int
    negative_items: int
    negative_share: float
    negative_share_low: float
    negative_share_high: float
    revenue_at_risk: float
    trend: float
    votes: int
    p_top3: float | None
    recent: int
    older: int
    components: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (ints, floats, str, None and a components dict)."""
        return asdict(self)


class Window(NamedTuple):
    """Calendar bounds of a ranking window, compared with each item's date."""

    start: date  # first day in the window, inclusive
    end: date  # the day after the newest day, exclusive
    recent_start: date  # first day of the newest third, inclusive


def window_bounds(newest: date, days: int = 90) -> Window:
    """The `days` calendar days ending with `newest`, and where its newest third starts.

    Half-open on dates: an item is in the window when start <= its date < end, and
    counts as recent when recent_start <= its date < end (end = newest + 1 day). The
    newest third is round(days / 3) whole days, exactly 30 for the default 90. A
    datetime is reduced to its date first. Raises ValueError when days < 3.
    """
    if days < 3:
        raise ValueError("days must be at least 3")
    if isinstance(newest, datetime):
        newest = newest.date()
    end = newest + timedelta(days=1)
    return Window(
        start=end - timedelta(days=days),
        end=end,
        recent_start=end - timedelta(days=round(days / 3)),
    )


def wilson_interval(successes: int, trials: int) -> tuple[float, float]:
    """95% Wilson score interval (low, high) for successes out of trials.

    With no trials the answer is (0.0, 1.0), the interval's limit as trials -> 0.
    """
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    z2 = WILSON_Z**2
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = WILSON_Z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials**2))
    half /= denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def rank_themes(
    groups: pd.DataFrame,
    *,
    themes: Mapping[int, str],
    votes: Mapping[int, int] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    bootstrap: int = 200,
    seed: int = 0,
) -> list[ThemeScore]:
    """Score and order the active themes from grouped feedback items.

    `groups` has one row per (theme_id, customer_id, negative, recent) with the item
    count `n` and the customer's `revenue` (see GROUP_COLUMNS; a missing customer_id
    means each of the row's items is its own customer). Rows repeating a group add
    up, so a group may come split, e.g. by week. `themes` maps every active
    theme id to its name; rows for other themes are ignored and themes without rows
    score zero. `votes` maps theme ids to advisor votes. `bootstrap` Poisson
    resamples (seeded by `seed`) give p_top3; with 0 resamples p_top3 is None.
    Returns one ThemeScore per active theme, best first, ranks from 1.
    """
    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0")
    theme_ids = sorted(themes)
    if not theme_ids:
        return []
    names = [str(themes[theme_id]) for theme_id in theme_ids]
    vote_counts = np.array([int((votes or {}).get(t, 0)) for t in theme_ids])
    if (vote_counts < 0).any():
        raise ValueError("votes must be >= 0")
    by_name = sorted(
        range(len(theme_ids)), key=lambda i: (names[i].casefold(), names[i], i)
    )
    name_rank = np.argsort(by_name)

    design = _Design.build(groups, theme_ids)
    totals = design.totals_from_counts(design.n[:, None])
    scored = _score(totals, vote_counts, weights)
    order = _order(scored.score, totals.customers, name_rank)[:, 0]
    p_top3 = _p_top3(design, vote_counts, weights, name_rank, bootstrap, seed)

    ranked = []
    for position, i in enumerate(order):
        mentions = int(totals.mentions[i, 0])
        negatives = int(totals.negatives[i, 0])
        recent = int(totals.recent[i, 0])
        low, high = wilson_interval(negatives, mentions)
        ranked.append(
            ThemeScore(
                rank=position + 1,
                theme_id=int(theme_ids[i]),
                theme=names[i],
                score=float(scored.score[i, 0]),
                customers=int(totals.customers[i, 0]),
                mentions=mentions,
                negative_items=negatives,
                negative_share=float(scored.share[i, 0]),
                negative_share_low=low,
                negative_share_high=high,
                revenue_at_risk=float(totals.revenue[i, 0]),
                trend=float(scored.trend[i, 0]),
                votes=int(vote_counts[i]),
                p_top3=None if p_top3 is None else float(p_top3[i]),
                recent=recent,
                older=mentions - recent,
                components={k: float(v[i, 0]) for k, v in scored.components.items()},
            )
        )
    return ranked


class _Totals(NamedTuple):
    """Per-theme figures, each shaped (themes, resamples)."""

    customers: np.ndarray
    mentions: np.ndarray
    negatives: np.ndarray
    recent: np.ndarray
    revenue: np.ndarray


class _Scored(NamedTuple):
    score: np.ndarray
    components: dict[str, np.ndarray]
    share: np.ndarray
    trend: np.ndarray


def _score(totals: _Totals, votes: np.ndarray, weights: Weights) -> _Scored:
    """Apply the ranking formula column by column (one column per resample)."""
    mentions = totals.mentions.astype(float)
    recent = totals.recent.astype(float)
    older = mentions - recent
    share = _ratio(totals.negatives.astype(float), mentions)
    trend = np.where(older > 0, _ratio(recent, older / 2) - 1, (recent > 0) * 1.0)
    raw = {
        "customers": totals.customers.astype(float),
        "revenue_at_risk": totals.revenue.astype(float),
        "negative_share": share,
        "trend": np.maximum(trend, 0.0),
        "votes": np.broadcast_to(votes[:, None], share.shape).astype(float),
    }
    components = {name: _normalise(values) for name, values in raw.items()}
    score = sum(w * components[name] for name, w in weights.as_dict().items())
    return _Scored(np.round(score, 12), components, share, trend)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)


def _normalise(values: np.ndarray) -> np.ndarray:
    return _ratio(values, np.broadcast_to(values.max(axis=0), values.shape))


def _order(
    score: np.ndarray, customers: np.ndarray, name_rank: np.ndarray
) -> np.ndarray:
    """Theme indices best first, per column: score desc, customers desc, name."""
    # Stable sorts applied from the last key to the first compose into one order.
    base = np.argsort(name_rank)
    by_customers = np.argsort(-customers[base], axis=0, kind="stable")
    scores = np.take_along_axis(score[base], by_customers, axis=0)
    by_score = np.argsort(-scores, axis=0, kind="stable")
    return base[np.take_along_axis(by_customers, by_score, axis=0)]


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
