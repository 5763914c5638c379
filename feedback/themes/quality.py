"""How good a theme model measures: per-theme precision, recall and F1 of its
cross-validated decisions, and macro-F1 with a 95% bootstrap interval.

Pure NumPy/SciPy. The decisions come from `fitting.cross_fitted_decisions`, so
every figure is about items the model had not seen when it decided.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import bootstrap

RESAMPLES = 999
CONFIDENCE = 0.95


@dataclass(frozen=True)
class ThemeQuality:
    theme: int
    labels: int
    precision: float | None
    recall: float | None
    f1: float

    def as_dict(self) -> dict:
        return {
            "theme": self.theme,
            "labels": self.labels,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Quality:
    per_theme: list[ThemeQuality]
    macro_f1: float
    macro_f1_ci: tuple[float, float] | None


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _f1_columns(decided: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """F1 per column (0 where a column has neither decisions nor truths)."""
    tp = (decided & truth).sum(axis=0).astype(float)
    den = decided.sum(axis=0) + truth.sum(axis=0)
    return np.divide(2 * tp, den, out=np.zeros_like(tp), where=den > 0)


def measure(
    decided: np.ndarray, y: np.ndarray, theme_ids: list[int], *, seed: int = 0
) -> Quality:
    """Quality of (n, K) decisions against the (n, K) labels, columns `theme_ids`.

    The interval resamples labelled items (percentile bootstrap, RESAMPLES
    draws); it is None below 10 items, where it would mean nothing.
    """
    decided = np.asarray(decided, dtype=bool)
    truth = np.asarray(y, dtype=bool)
    per_theme = []
    f1s = _f1_columns(decided, truth)
    for j, theme in enumerate(theme_ids):
        tp = float((decided[:, j] & truth[:, j]).sum())
        per_theme.append(
            ThemeQuality(
                theme=int(theme),
                labels=int(truth[:, j].sum()),
                precision=_ratio(tp, float(decided[:, j].sum())),
                recall=_ratio(tp, float(truth[:, j].sum())),
                f1=round(float(f1s[j]), 4),
            )
        )
    macro = float(f1s.mean()) if len(f1s) else 0.0
    interval = None
    n = len(truth)
    if n >= 10 and len(theme_ids):

        def macro_f1(rows):
            rows = rows.astype(int)
            return float(_f1_columns(decided[rows], truth[rows]).mean())

        result = bootstrap(
            (np.arange(n),),
            macro_f1,
            n_resamples=RESAMPLES,
            confidence_level=CONFIDENCE,
            method="percentile",
            vectorized=False,
            random_state=np.random.default_rng(seed),
        )
        low, high = result.confidence_interval
        interval = (round(float(low), 4), round(float(high), 4))
    return Quality(per_theme=per_theme, macro_f1=round(macro, 4), macro_f1_ci=interval)
