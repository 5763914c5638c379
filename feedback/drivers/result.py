"""What a drivers estimate gives back, and the design pieces every model shares."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# A theme with fewer items (or customers) than this, or with all but this many,
# is left out: its effect cannot be told from the rest.
MIN_ITEMS = 30


@dataclass(frozen=True)
class Driver:
    """One theme's effect: `impact` with its 95% interval `ci` (None when it
    could not be estimated), on `items` items (customers for churn). `null` is
    the value of no effect: 0 for points, 1 for ratios."""

    theme: int
    impact: float
    ci: tuple[float, float] | None
    items: int
    null: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def significant(self) -> bool:
        """True when the interval excludes the no-effect value."""
        if self.ci is None:
            return False
        low, high = self.ci
        return not (low <= self.null <= high)


@dataclass(frozen=True)
class Drivers:
    """The estimate of one metric: how many rows went in, how, and the drivers
    sorted by impact (largest harm first)."""

    n: int
    method: str
    drivers: list[Driver]


def finite(value: float) -> float | None:
    """`value` as a float, None when it is not finite (JSON has no inf/NaN)."""
    value = float(value)
    return value if math.isfinite(value) else None


def indicators(
    row_ids: np.ndarray, pairs: pd.DataFrame, theme_ids: list[int], key: str
) -> np.ndarray:
    """A bool matrix (rows x themes): row `row_ids[i]` has theme `theme_ids[j]`
    in `pairs` (columns `key` and `theme_id`)."""
    out = np.zeros((len(row_ids), len(theme_ids)), dtype=bool)
    if pairs.empty or not theme_ids:
        return out
    rows = pd.Index(row_ids).get_indexer(pairs[key].to_numpy())
    cols = pd.Index(theme_ids).get_indexer(pairs["theme_id"].to_numpy())
    keep = (rows >= 0) & (cols >= 0)
    out[rows[keep], cols[keep]] = True
    return out


def eligible(matrix: np.ndarray) -> np.ndarray:
    """The columns with at least MIN_ITEMS rows in and MIN_ITEMS rows out."""
    counts = matrix.sum(axis=0)
    return (counts >= MIN_ITEMS) & (counts <= len(matrix) - MIN_ITEMS)


def controls(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Fixed effects of the categorical `columns` that take more than one value:
    one bool column per level but the first (rows x levels)."""
    blocks = [np.zeros((len(frame), 0), dtype=bool)]
    for column in columns:
        if column not in frame:
            continue
        codes, levels = pd.factorize(frame[column], sort=True)
        if len(levels) > 1:
            blocks.append(np.eye(len(levels), dtype=bool)[codes][:, 1:])
    return np.hstack(blocks)
