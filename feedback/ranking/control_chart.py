"""Which weeks of a theme stand out from its own history: control charts.

Pure: NumPy and SciPy, no Django. Every week is judged against the weeks before
it (up to HISTORY of them, at least MIN_HISTORY), never against a fixed number:

- volume, a Laney u'-chart: the theme's share of the week's items against its
  share over the history, with the u-chart's Poisson spread widened by the
  history's own overdispersion (the moving range of its standardised shares,
  never below Poisson);
- sentiment, an x-bar chart of the theme's weekly mean sentiment: the items'
  pooled spread over the history over the square root of the week's items,
  widened the same way by the history's week-to-week overdispersion (weeks with
  fewer than MIN_ITEMS items are not judged).

The limits sit at the normal quantile that keeps false alarms of a steady theme
to FALSE_ALARMS_PER_YEAR per measure (Bonferroni over 52 weeks and both
sides): 3.55 sigma for 2%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

HISTORY = 26
MIN_HISTORY = 8
MIN_ITEMS = 5
FALSE_ALARMS_PER_YEAR = 0.02
SIGMAS = float(stats.norm.isf(FALSE_ALARMS_PER_YEAR / (2 * 52)))
MR_D2 = 1.128  # E|x_t - x_t-1| / sigma for normal data (the d2 of n = 2)


@dataclass(frozen=True)
class Signal:
    week: int  # index into the series
    kind: str  # spike | drop
    measure: str  # volume | sentiment
    size: float  # volume: observed / expected; sentiment: mean - history mean
    observed: float
    expected: float
    limit: float
    items: int


def _moving_range_sigma(values: np.ndarray) -> float:
    if len(values) < 2:
        return 0.0
    return float(np.mean(np.abs(np.diff(values))) / MR_D2)


def volume_signals(counts: Sequence[int], totals: Sequence[int]) -> list[Signal]:
    """Weeks whose share of items is outside the Laney u'-chart limits."""
    c, n = np.asarray(counts, float), np.asarray(totals, float)
    out = []
    for i in range(MIN_HISTORY, len(c)):
        past = slice(max(0, i - HISTORY), i)
        hist_c, hist_n = c[past], n[past]
        keep = hist_n > 0
        if keep.sum() < MIN_HISTORY or n[i] <= 0 or hist_c.sum() == 0:
            continue
        share = hist_c[keep].sum() / hist_n[keep].sum()
        z = (hist_c[keep] / hist_n[keep] - share) / np.sqrt(share / hist_n[keep])
        spread = max(_moving_range_sigma(z), 1.0)
        sd = spread * np.sqrt(share / n[i])
        observed = c[i] / n[i]
        upper, lower = share + SIGMAS * sd, share - SIGMAS * sd
        kind = "spike" if observed > upper else "drop" if observed < lower else ""
        if kind:
            out.append(
                Signal(
                    week=i,
                    kind=kind,
                    measure="volume",
                    size=round(float(observed / share), 3),
                    observed=round(float(c[i]), 3),
                    expected=round(float(share * n[i]), 3),
                    limit=round(float((upper if kind == "spike" else lower) * n[i]), 3),
                    items=int(c[i]),
                )
            )
    return out


def sentiment_signals(
    means: Sequence[float | None],
    items: Sequence[int],
    sds: Sequence[float | None],
) -> list[Signal]:
    """Weeks whose mean sentiment is outside the chart's limits: an x-bar chart
    of the weekly mean (the items' pooled spread over the history divided by
    the square root of the week's items), widened like Laney's by the history's
    own week-to-week overdispersion."""
    m = np.array([np.nan if v is None else v for v in means], float)
    sd = np.array([np.nan if v is None else v for v in sds], float)
    k = np.asarray(items, float)
    judged = (k >= MIN_ITEMS) & ~np.isnan(m) & ~np.isnan(sd)
    out = []
    for i in range(len(m)):
        if not judged[i]:
            continue
        past = [j for j in range(max(0, i - HISTORY), i) if judged[j]]
        if len(past) < MIN_HISTORY:
            continue
        hk, hm, hs = k[past], m[past], sd[past]
        centre = float(np.sum(hk * hm) / np.sum(hk))
        pooled = float(np.sqrt(np.sum((hk - 1) * hs**2) / np.sum(hk - 1)))
        if pooled <= 0:
            continue
        z = (hm - centre) / (pooled / np.sqrt(hk))
        spread = max(_moving_range_sigma(z), 1.0)
        half = SIGMAS * spread * pooled / np.sqrt(k[i])
        upper, lower = centre + half, centre - half
        kind = "spike" if m[i] > upper else "drop" if m[i] < lower else ""
        if kind:
            out.append(
                Signal(
                    week=i,
                    kind=kind,
                    measure="sentiment",
                    size=round(float(m[i] - centre), 4),
                    observed=round(float(m[i]), 4),
                    expected=round(centre, 4),
                    limit=round(float(upper if kind == "spike" else lower), 4),
                    items=int(k[i]),
                )
            )
    return out
