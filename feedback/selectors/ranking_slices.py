"""The ranking of a slice, on demand: a date range, a segment, a channel.

Without any of them the ranking is the stored snapshot (`selectors.ranking`).
With them, the same `ranking_compute` the snapshot uses runs over the slice
(fewer bootstrap resamples, for speed) and its answer is cached per data
version (`RankingState.inputs_version`, which every write that moves the
ranking bumps) and slice, so a second reader costs a cache read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from cxplan.core.caching import cached, content_key
from feedback.models import FeedbackItem
from feedback.ranking.slices import ItemFilter, slice_errors, slice_window
from feedback.selectors.ranking import public_theme
from feedback.services.ranking import ranking_compute
from feedback.services.ranking_aggregates import _aware
from feedback.services.ranking_state import (
    inputs_key,
    ranking_running,
    ranking_state_get,
)

# p_top3 of a slice from this many resamples (the snapshot takes 200): at 1M
# items 50 cost ~0.1 s of a slice's second.
SLICE_BOOTSTRAP = 50
SLICE_SECONDS = 15 * 60


@dataclass(frozen=True)
class RankingSlice:
    """A slice as asked: None for what was not given."""

    start: date | None = None
    end: date | None = None
    segment: str | None = None
    channel: str | None = None

    @property
    def asked(self) -> bool:
        return any(v is not None for v in asdict(self).values())

    @property
    def items(self) -> ItemFilter:
        return ItemFilter(segment=self.segment, channel=self.channel)

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "segment": self.segment,
            "channel": self.channel,
        }


def _newest_day() -> date | None:
    newest = FeedbackItem.objects.aggregate(newest=Max("created"))["newest"]
    return timezone.localtime(newest).date() if newest else None


def slice_resolve(asked: RankingSlice, *, days: int | None = None):
    """(the slice with both dates filled in, {field: message}).

    A missing end is the newest feedback date (the snapshot's last day); a
    missing start is `days` (the ranking's window length) before the end.
    Without feedback and without dates there is nothing to fill: the dates
    stay None. The errors are those of `slice_errors` on the filled range.
    """
    start, end = asked.start, asked.end
    if end is None:
        newest = _newest_day()
        end = max(newest, start) if newest and start else (newest or start)
    if start is None and end is not None:
        length = days or ranking_state_get().window_days
        start = end - timedelta(days=length - 1)
    filled = RankingSlice(start, end, asked.segment, asked.channel)
    if start is None or end is None:
        return filled, {}
    errors = slice_errors(start=start, end=end)
    if "end" in errors and asked.end is None:
        errors = {"start": errors["end"]}  # the one date that was given
    return filled, errors


def _compute(state, filled: RankingSlice) -> dict:
    window = None
    if filled.start is not None and filled.end is not None:
        window = slice_window(filled.start, filled.end)
    result = ranking_compute(
        state=state,
        window=window,
        items=filled.items,
        bootstrap=SLICE_BOOTSTRAP,
        on_demand=True,
    )
    return {
        "computed_at": timezone.now().isoformat(),
        "inputs_version": state.inputs_version,
        "weights": result["weights"].as_dict(),
        "themes": result["themes"],
        "items": result["items"],
        "coverage": result["coverage"] or None,
        "slice": filled.as_dict(),
        "days": (filled.end - filled.start).days + 1 if window else None,
    }


def ranking_slice(*, asked: RankingSlice) -> dict:
    """The ranking of a resolved slice (`slice_resolve`), computed now or read
    from the cache of this data version; raises ValueError for a bad range."""
    state = ranking_state_get()
    filled, errors = slice_resolve(asked, days=state.window_days)
    if errors:
        raise ValueError("; ".join(errors.values()))
    described = json.dumps(
        [filled.as_dict(), SLICE_BOOTSTRAP, state.weights or {}], sort_keys=True
    )
    key = content_key(f"cxplan:ranking:slice:{inputs_key(state)}", described)
    result = dict(cached(key, lambda: _compute(state, filled), SLICE_SECONDS))
    result["recomputing"] = ranking_running(state)
    return result


def ranking_slice_payload(
    *, result: dict, hidden: frozenset[str], top: int | None = None
) -> dict:
    """The API shape of a slice: the snapshot's keys (`ranking_payload`; `id`
    null, `stale` false: computed from the data as it is) plus `slice`."""
    themes = [{**t, "movement": None, "previous_rank": None} for t in result["themes"]]
    chosen = result["slice"]
    return {
        "id": None,
        "computed_at": result["computed_at"],
        "inputs_version": result["inputs_version"],
        "window": {
            "start": chosen["start"],
            "end": chosen["end"],
            "days": result["days"],
            "items": result["items"],
        },
        "weights": result["weights"],
        "recomputing": result["recomputing"],
        "stale": False,
        "coverage": result["coverage"],
        "top_three": [t.get("theme_id") for t in themes[:3]],
        "themes": [
            public_theme(t, hidden=hidden) for t in (themes[:top] if top else themes)
        ],
        "slice": chosen,
    }


def ranking_slices_warm(*, limit: int | None = None) -> int:
    """Rank into the cache the default window's slice of every channel and of
    the largest segments (`limit` of each, CXPLAN_RANKING_WARM_SLICES, 12; 0
    warms none), so that readers of those slices get the cached answer. Run
    by the worker after a recompute; returns how many slices it ranked."""
    if limit is None:
        limit = int(getattr(settings, "CXPLAN_RANKING_WARM_SLICES", 12))
    if limit <= 0:
        return 0
    state = ranking_state_get()
    filled, _errors = slice_resolve(RankingSlice(), days=state.window_days)
    if filled.start is None or filled.end is None:
        return 0
    window = slice_window(filled.start, filled.end)
    items = FeedbackItem.objects.filter(
        created__gte=_aware(window.start), created__lt=_aware(window.end)
    )
    asked = []
    for field in ("channel", "segment"):
        values = (
            items.exclude(**{field: ""})
            .values_list(field, flat=True)
            .annotate(n=Count("pk"))
            .order_by("-n", field)[:limit]
        )
        asked += [RankingSlice(**{field: value}) for value in values]
    for one in asked:
        ranking_slice(asked=one)
    return len(asked)
