"""NPS drivers: the NPS points each theme costs.

NPS = % promoters (9-10) - % detractors (0-6) of the respondents. For theme t,
"fixed" means its respondents' detractor share set to that of the respondents
without t; the detractors above that share become passives. The cost is the
NPS with t fixed minus the NPS of all: 100 * (D_t - N_t * d_rest) / N, where
N_t respondents raised t, D_t of them are detractors, and d_rest is the
detractor share of the others. Each theme is priced alone (costs do not add up
when items carry several themes). Interval: `bootstrap.intervals`.
"""

from __future__ import annotations

import numpy as np

from feedback.drivers import bootstrap
from feedback.drivers.result import MIN_ITEMS, Driver, Drivers, eligible

DETRACTOR_MAX = 6
PROMOTER_MIN = 9


def nps(scores: np.ndarray) -> float:
    """The NPS of `scores` (0-10), in points from -100 to 100."""
    scores = np.asarray(scores, dtype=float)
    if not len(scores):
        return float("nan")
    return 100.0 * (np.mean(scores >= PROMOTER_MIN) - np.mean(scores <= DETRACTOR_MAX))


def _costs(detractor: np.ndarray, themes: np.ndarray) -> np.ndarray:
    """Cost per theme; `detractor` is (..., n) and `themes` (..., n, k). Out:
    (k, ...), the layout scipy's vectorised bootstrap expects."""
    n = detractor.shape[-1]
    raised = themes.sum(axis=-2)
    raised_detractors = (themes & detractor[..., None]).sum(axis=-2)
    others = n - raised
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_share = (detractor.sum(axis=-1)[..., None] - raised_detractors) / others
        cost = 100.0 * (raised_detractors - raised * rest_share) / n
    return np.moveaxis(cost, -1, 0)


def nps_drivers(
    scores: np.ndarray, themes: np.ndarray, theme_ids: list[int], *, seed: int = 0
) -> Drivers:
    """NPS cost of each theme (points gained if it were fixed) with intervals,
    from the respondents' `scores` (0-10) and `themes` (respondents x themes)."""
    keep = eligible(themes) if len(scores) else np.zeros(len(theme_ids), bool)
    ids = [t for t, k in zip(theme_ids, keep, strict=True) if k]
    matrix = themes[:, keep]
    n = len(scores)
    method = f"NPS {nps(scores):.1f} of {n} respondents: cost = NPS with the theme's "
    method += "detractor share set to the rest's minus NPS of all; "
    if not ids:
        return Drivers(n=n, method=method + "no theme with enough items", drivers=[])
    detractor = np.asarray(scores) <= DETRACTOR_MAX
    point = _costs(detractor, matrix)
    rows = bootstrap.sample_rows(n, seed)
    sub_d, sub_t = detractor[rows], matrix[rows]

    def costs(index: np.ndarray, axis: int = -1) -> np.ndarray:
        return _costs(sub_d[index], sub_t[index])

    cis = bootstrap.intervals(
        costs, np.arange(len(rows)), n, point, seed=seed, vectorized=True
    )
    cis = bootstrap.thin(cis, matrix, rows, MIN_ITEMS)
    counts = matrix.sum(axis=0).astype(int)
    drivers = [
        Driver(theme=t, impact=float(c), ci=ci, items=int(m))
        for t, c, ci, m in zip(ids, point, cis, counts, strict=True)
    ]
    drivers.sort(key=lambda d: (-d.impact, d.theme))
    return Drivers(n=n, method=method + bootstrap.method_note(rows, n), drivers=drivers)
