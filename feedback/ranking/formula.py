"""The ranking formula: weights, the window, the score and the order of themes.

Pure: NumPy and the standard library. The scoring works column by column, one
column per resample, so the bootstrap scores 200 resamples in one call.

Conventions the spec leaves open, decided here:
- trend_t = recent / (older / 2) - 1; with no older mentions it is 1.0 when the theme
  has recent mentions (a new theme counts as "doubling", not as infinite growth) and
  0.0 when it has none.
- negative_share_t is 0 for a theme with no items, and its Wilson interval is (0, 1):
  the limit of the Wilson interval as the number of items goes to 0 (no evidence).
- Scores are rounded to 12 decimals before comparing, so that float noise between two
  sums that are equal on paper never breaks a tie; ties go to more customers, then to
  the name (case-insensitive), then to the smaller theme id.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from numbers import Real
from typing import Any, NamedTuple

import numpy as np

COMPONENTS = ("customers", "revenue_at_risk", "negative_share", "trend", "votes")
WILSON_Z = 1.959964


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
