"""rank_themes: the ranked themes of a window, from its feedback groups.

Pure: NumPy and pandas. The one entry point of `feedback.ranking`; the service
feeds it the groups the database aggregated and stores what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from feedback.ranking.bootstrap import _p_top3
from feedback.ranking.formula import (
    DEFAULT_WEIGHTS,
    Weights,
    _order,
    _score,
    wilson_interval,
)
from feedback.ranking.groups import _Design


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
