"""Score drivers: each theme's effect on the score, adjusted for the others.

OLS of the score on one 0/1 column per theme, with fixed effects for the
controls (segment, channel, and the score type when several are scaled
together). A coefficient is the points a theme's items score above or below
like items without it. The point estimate is statsmodels' WLS on the distinct
design rows weighted by their counts, which gives exactly the OLS coefficients
of the items at a fraction of the cost; the interval is `bootstrap.intervals`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import SingularMatrixWarning
from threadpoolctl import threadpool_limits

from feedback.drivers import bootstrap
from feedback.drivers.result import MIN_ITEMS, Driver, Drivers, controls, eligible

# Each type's range, to put every score on 0-1 when they are pooled.
SCALES = {"nps": (0.0, 10.0), "csat": (1.0, 5.0), "stars": (1.0, 5.0)}
SCALES["rating"] = (1.0, 10.0)
CONTROLS = ["segment", "channel", "score_type"]


def scaled(frame: pd.DataFrame) -> np.ndarray:
    """Each item's score on 0-1 of its type's range."""
    kind = frame["score_type"]
    low = kind.map({t: r[0] for t, r in SCALES.items()}).to_numpy(dtype=float)
    high = kind.map({t: r[1] for t, r in SCALES.items()}).to_numpy(dtype=float)
    return (frame["score"].to_numpy(dtype=float) - low) / (high - low)


def _collapsed_fit(indicators: np.ndarray, y: np.ndarray) -> np.ndarray:
    """OLS coefficients of y on [1, indicators], fitted on the distinct rows
    (mean y, weighted by count): the same normal equations, far fewer rows."""
    keys = np.ascontiguousarray(np.packbits(indicators, axis=1))
    keys = keys.view(np.dtype((np.void, keys.shape[1]))).ravel()
    _, first, inverse, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    means = np.bincount(inverse, weights=y) / counts
    return sm.WLS(means, _design(indicators[first]), weights=counts).fit().params


def _design(indicators: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(indicators)), indicators]).astype(float)


def score_drivers(
    frame: pd.DataFrame, themes: np.ndarray, theme_ids: list[int], *, seed: int = 0
) -> Drivers:
    """Drivers of `frame["y"]` (one row per item, with the CONTROLS columns
    present) given `themes` (items x themes, bool). Impact in the score's
    points; the themes with too few items are left out."""
    keep = eligible(themes) if len(frame) else np.zeros(len(theme_ids), bool)
    ids = [t for t, k in zip(theme_ids, keep, strict=True) if k]
    matrix = themes[:, keep]
    n, k = len(frame), len(ids)
    if k == 0:
        return Drivers(n=n, method="ols", drivers=[])
    y = frame["y"].to_numpy(dtype=float)
    columns = np.hstack([matrix, controls(frame, CONTROLS)])
    with threadpool_limits(limits=1):  # a shared machine: no BLAS threads fight
        with warnings.catch_warnings():  # collinear controls: their own problem
            warnings.simplefilter("ignore", SingularMatrixWarning)
            point = _collapsed_fit(columns, y)[1 : k + 1]
        rows = bootstrap.sample_rows(n, seed)
        sub_x, sub_y = _design(columns[rows]), y[rows]

        def coefficients(index: np.ndarray) -> np.ndarray:
            x, target = sub_x[index], sub_y[index]
            beta = np.linalg.lstsq(x.T @ x, x.T @ target, rcond=None)[0]
            return beta[1 : k + 1]

        position = np.arange(len(rows))
        cis = bootstrap.intervals(
            coefficients, position, n, point, seed=seed, vectorized=False
        )
    cis = bootstrap.thin(cis, matrix, rows, MIN_ITEMS)
    counts = matrix.sum(axis=0).astype(int)
    drivers = [
        Driver(theme=t, impact=float(b), ci=ci, items=int(c))
        for t, b, ci, c in zip(ids, point, cis, counts, strict=True)
    ]
    drivers.sort(key=lambda d: (d.impact, d.theme))
    method = "ols on theme indicators with segment/channel fixed effects; "
    return Drivers(n=n, method=method + bootstrap.method_note(rows, n), drivers=drivers)
