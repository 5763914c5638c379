"""The top three as it would become if some theme assignments changed.

A candidate theme model is shown with the top three it would produce before
anyone accepts it. The current groups come from the ranking's own GROUP BY; the
changes (item, theme, +1 gained or -1 lost) are added to them as extra groups,
and the same pure scoring (`rank_themes`) orders the themes. Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from datetime import time as dtime

import pandas as pd

from feedback.models import FeedbackItem, Theme
from feedback.ranking.formula import Weights, Window
from feedback.ranking.groups import GROUP_COLUMNS
from feedback.ranking.rank import rank_themes
from feedback.services.ranking import ranking_groups, ranking_votes, ranking_window
from feedback.services.ranking_state import ranking_state_get

CHUNK = 5000
KEYS = ["theme_id", "customer_id", "negative", "recent"]


def _aware(day) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=UTC)


def _delta_groups(window: Window, delta: Sequence[tuple[int, int, int]]):
    """Groups for the changed (item, theme, sign) triples inside the window."""
    start, end, recent = (_aware(d) for d in window)
    signs: dict[int, list[tuple[int, int]]] = {}
    for item_id, theme_id, sign in delta:
        signs.setdefault(item_id, []).append((theme_id, sign))
    rows = []
    ids = list(signs)
    for at in range(0, len(ids), CHUNK):
        items = FeedbackItem.objects.filter(
            pk__in=ids[at : at + CHUNK], created__gte=start, created__lt=end
        ).values_list(
            "pk", "customer_id", "polarity", "created", "customer__annual_revenue"
        )
        for pk, customer, polarity, created, revenue in items:
            for theme_id, sign in signs[pk]:
                rows.append(
                    (
                        theme_id,
                        customer,
                        polarity == "negative",
                        created >= recent,
                        sign,
                        float(revenue) if revenue is not None else float("nan"),
                    )
                )
    return pd.DataFrame(rows, columns=list(GROUP_COLUMNS))


def _merged(groups: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    if extra.empty:
        return groups
    extra["customer_id"] = extra["customer_id"].astype("Int64")
    both = pd.concat([groups, extra], ignore_index=True)
    summed = both.groupby(KEYS, dropna=False, sort=False).agg(
        n=("n", "sum"), revenue=("revenue", "max")
    )
    summed = summed[summed["n"] > 0].reset_index()
    return summed[list(GROUP_COLUMNS)]


def _top(groups: pd.DataFrame, themes: dict, votes: dict, weights: Weights):
    ranked = rank_themes(
        groups, themes=themes, votes=votes, weights=weights, bootstrap=0
    )
    return [s.theme_id for s in ranked[:3]]


def top_three_now_and_after(
    delta: Sequence[tuple[int, int, int]],
) -> tuple[list[int], list[int]]:
    """(top three theme ids now, after applying `delta`), by the ranking's
    current window and weights; two empty lists without feedback."""
    state = ranking_state_get()
    weights = Weights.from_dict(state.weights or {})
    themes = dict(
        Theme.objects.filter(is_active=True).order_by("pk").values_list("pk", "name")
    )
    window = ranking_window(days=state.window_days)
    if window is None or not themes:
        return [], []
    groups = ranking_groups(window=window)
    votes = ranking_votes()
    before = _top(groups, themes, votes, weights)
    after = _top(_merged(groups, _delta_groups(window, delta)), themes, votes, weights)
    return before, after
