"""Fitting pieces of the theme model: self-training, prior shift, CV, thresholds.

Pure NumPy/SciPy/scikit-learn on feature matrices; `model.py` wires them to texts.
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.05), 2)
# Below this many positives a theme's threshold cannot be estimated.
MIN_POSITIVES_FOR_THRESHOLD = 3
DEFAULT_THRESHOLD = 0.5
MAX_PRIOR_RATIO = 4.0
# A threshold no probability reaches: the theme abstains (never predicted).
ABSTAIN = 1.01
# Themes fitted at once: liblinear releases the GIL, so threads use every core
# without copying the feature matrices.
FIT_THREADS = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class TrainSettings:
    """Knobs of `train`; the defaults are the measured best (bench/theme_quality)."""

    c: float = 10.0  # inverse L2 strength; few labels need weak regularisation
    self_training_rounds: int = 1
    pseudo_share: float = 0.5  # share of each theme's predicted pool items kept
    pseudo_weight: float = 0.5  # weight of a pseudo-label relative to a label
    prior_power: float = 0.5  # 0 = no prior shift, 1 = full ratio
    max_pool: int = 2000  # unlabelled items sampled for fitting
    folds: int = 5  # below 2: no cross-validation (default thresholds, no CV F1)
    subwords: bool = True  # character n-grams inside words as extra features
    keyword_weight: float = 0.0  # value of a keyword-hit feature; 0 = unused
    # Cross-validated precision a theme's threshold must reach; 0 = best F1.
    precision_target: float = 0.0


def sigmoid(z) -> np.ndarray:
    """Logistic function, element-wise, as a dense float64 array."""
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def _fit_binary(x, y, weights, c: float) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of y; constant model for a 1-class column.

    The columns are fitted in FIT_THREADS threads; each writes its own row of
    the result, so the outcome does not depend on which thread ends first.
    """
    n_features = x.shape[1]
    coef = np.zeros((y.shape[1], n_features), dtype=np.float32)
    intercept = np.zeros(y.shape[1], dtype=np.float64)
    w = np.ones(x.shape[0]) if weights is None else np.asarray(weights, float)
    # liblinear wants float64: convert once rather than once per theme.
    x = x.astype(np.float64) if x.dtype != np.float64 else x

    def one_theme(j: int) -> None:
        target = y[:, j]
        positives = float(w[target == 1].sum())
        if positives == 0 or positives == w.sum() or n_features == 0:
            # Nothing to separate (a theme absent from a CV fold, or texts with
            # no known word at all): use the smoothed base rate instead.
            intercept[j] = _logit((positives + 0.5) / (w.sum() + 1.0))
            return
        clf = LogisticRegression(C=c, solver="liblinear", intercept_scaling=10.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x, target, sample_weight=w)
        coef[j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]

    with ThreadPoolExecutor(max_workers=min(FIT_THREADS, y.shape[1] or 1)) as pool:
        list(pool.map(one_theme, range(y.shape[1])))
    return coef, intercept


def _primary(y: np.ndarray) -> np.ndarray:
    """Each row's first theme column, or -1 for rows labelled with no theme."""
    has = y.any(axis=1)
    return np.where(has, y.argmax(axis=1), -1)


def fit(x_lab, y, x_pool, settings) -> tuple[np.ndarray, np.ndarray]:
    """Fit weights on labels, then self-train on the pool and shift the priors.

    Takes labelled features, the (n, K) 0/1 label matrix, pool features and the
    settings; returns (coef (K, F) float32, intercept (K,) float64).
    """
    coef, intercept = _fit_binary(x_lab, y, None, settings.c)
    n_pool = x_pool.shape[0]
    if n_pool == 0:
        return coef, intercept
    n_lab, k = y.shape
    for _ in range(settings.self_training_rounds):
        proba = sigmoid(x_pool @ coef.T + intercept)
        top, conf = proba.argmax(axis=1), proba.max(axis=1)
        chosen = []
        for j in range(k):
            idx = np.flatnonzero(top == j)
            keep = max(1, int(len(idx) * settings.pseudo_share)) if len(idx) else 0
            chosen.extend(idx[np.argsort(-conf[idx], kind="stable")[:keep]])
        chosen = np.asarray(chosen, dtype=int)
        pseudo = np.zeros((len(chosen), k), dtype=np.int8)
        pseudo[np.arange(len(chosen)), top[chosen]] = 1
        x_all = sparse.vstack([x_lab, x_pool[chosen]]).tocsr()
        y_all = np.vstack([y, pseudo])
        weights = np.r_[np.ones(n_lab), np.full(len(chosen), settings.pseudo_weight)]
        coef, intercept = _fit_binary(x_all, y_all, weights, settings.c)
    if settings.prior_power > 0:
        proba = sigmoid(x_pool @ coef.T + intercept)
        pool_share = np.bincount(proba.argmax(axis=1), minlength=k) / n_pool
        primary = _primary(y)
        themed = primary[primary >= 0]
        label_share = np.bincount(themed, minlength=k) / max(len(themed), 1)
        ratio = (pool_share + 1e-3) / (label_share + 1e-3)
        # A weak model can predict nearly everything as one theme; bounding the
        # ratio keeps that from wiping out the other themes.
        ratio = np.clip(ratio, 1.0 / MAX_PRIOR_RATIO, MAX_PRIOR_RATIO)
        intercept = intercept + settings.prior_power * np.log(ratio)
    return coef, intercept


def stratified_folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """Fold number per labelled row, stratified on each row's primary theme.

    Rows of each stratum are shuffled and dealt round-robin, continuing the count
    across strata so folds have equal sizes. A theme with fewer rows than folds
    simply appears in fewer folds (no error, unlike scikit-learn's splitter).
    """
    rng = np.random.default_rng(seed)
    primary = _primary(y)
    folds = np.empty(len(y), dtype=int)
    position = 0
    for stratum in np.unique(primary):
        rows = rng.permutation(np.flatnonzero(primary == stratum))
        folds[rows] = (position + np.arange(len(rows))) % n_folds
        position += len(rows)
    return folds


def out_of_fold(x_lab, y, x_pool, settings, seed):
    """Cross-validated probabilities for the labelled rows.

    Each fold is predicted by the full procedure (self-training included) trained
    on the other folds, with the held-out rows joining the unlabelled pool.
    Returns (probabilities (n, K) or None, fold numbers or None, notes); None when
    there are fewer than 4 labelled rows or `settings.folds` < 2.
    """
    n = y.shape[0]
    if settings.folds < 2:
        return None, None, ["cross-validation switched off (settings.folds < 2)"]
    if n < 4:
        return None, None, [f"only {n} labelled items: no cross-validation"]
    n_folds = min(settings.folds, n)
    notes = []
    counts = y.sum(axis=0)
    if counts.min() < n_folds:
        notes.append(
            f"some themes have fewer than {n_folds} labels: they are missing from "
            "some cross-validation folds, which lowers their CV F1"
        )
    folds = stratified_folds(y, n_folds, seed)
    oof = np.zeros(y.shape, dtype=np.float64)
    for f in range(n_folds):
        test = folds == f
        pool = sparse.vstack([x_pool, x_lab[test]]).tocsr()
        coef, intercept = fit(x_lab[~test], y[~test], pool, settings)
        oof[test] = sigmoid(x_lab[test] @ coef.T + intercept)
    return oof, folds, notes


def _f1(decided: np.ndarray, truth: np.ndarray) -> float:
    tp = float(np.sum(decided & truth))
    denominator = float(np.sum(decided) + np.sum(truth))
    return 2.0 * tp / denominator if denominator else 0.0


def _precision(decided: np.ndarray, truth: np.ndarray) -> float:
    picked = float(np.sum(decided))
    return float(np.sum(decided & truth)) / picked if picked else 1.0


def _best_threshold(
    scores: np.ndarray, truth: np.ndarray, floor: float, precision: float
) -> float:
    """The F1-best grid threshold among those whose precision reaches
    `precision`; ABSTAIN when none does (the theme is then never predicted)."""
    if truth.sum() < MIN_POSITIVES_FOR_THRESHOLD:
        return max(DEFAULT_THRESHOLD, floor)
    grid = THRESHOLD_GRID[floor <= THRESHOLD_GRID]
    if precision > 0:
        grid = grid[[_precision(scores >= t, truth) >= precision for t in grid]]
        if not len(grid):
            return ABSTAIN
    f1s = np.array([_f1(scores >= t, truth) for t in grid])
    best = grid[np.isclose(f1s, f1s.max())]
    # The middle of the best plateau is less sensitive to noise than its edge.
    return float(best[len(best) // 2])


def choose_thresholds(
    proba: np.ndarray, y: np.ndarray, *, floor: float, precision: float = 0.0
) -> np.ndarray:
    """Per theme, the grid threshold (>= floor) maximising F1 on the given rows
    among those reaching the precision target (ABSTAIN when none does)."""
    truth = y.astype(bool)
    return np.array(
        [
            _best_threshold(proba[:, j], truth[:, j], floor, precision)
            for j in range(y.shape[1])
        ]
    )


def cross_fitted_decisions(
    proba, y, folds, *, floor: float, precision: float = 0.0
) -> np.ndarray:
    """The (n, K) yes/no decisions where each fold's thresholds come from the
    other folds only: what the model would have decided on items it never saw."""
    truth = y.astype(bool)
    decided = np.zeros_like(truth)
    for f in np.unique(folds):
        test = folds == f
        thr = choose_thresholds(
            proba[~test], y[~test], floor=floor, precision=precision
        )
        decided[test] = proba[test] >= thr
    return decided


def cross_fitted_f1(proba, y, folds, *, floor: float) -> np.ndarray:
    """Per-theme F1 where each fold's thresholds come from the other folds only."""
    truth = y.astype(bool)
    decided = cross_fitted_decisions(proba, y, folds, floor=floor)
    return np.array([_f1(decided[:, j], truth[:, j]) for j in range(y.shape[1])])
