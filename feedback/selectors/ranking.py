"""Reads of the ranking: the latest (or a chosen) snapshot, shaped for the page,
the API and the deck, with movement against the snapshot before it."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q

from cxplan.core.visibility import withhold
from feedback.models import RankingSnapshot
from feedback.services.ranking_state import ranking_running, ranking_state_get

API_FIELDS = (
    "rank",
    "theme_id",
    "theme",
    "score",
    "customers",
    "mentions",
    "negative_share",
    "negative_share_low",
    "negative_share_high",
    "revenue_at_risk",
    "trend",
    "votes",
    "p_top3",
    "components",
    "weekly",
    "movement",
    "quotes",
)
QUOTE_FIELDS = ("text", "channel", "date", "score", "score_type")


@dataclass
class RankingView:
    snapshot: RankingSnapshot | None
    previous: RankingSnapshot | None
    themes: list[dict]
    recomputing: bool
    dirty: bool

    @property
    def top(self) -> list[dict]:
        return self.themes[:3]

    @property
    def last_day(self):
        """The window's last day, inclusive (window_end is exclusive)."""
        if self.snapshot is None or self.snapshot.window_end is None:
            return None
        return (self.snapshot.window_end - timedelta(days=1)).date()


def snapshot_get(*, snapshot_id: int | None = None) -> RankingSnapshot | None:
    """The chosen snapshot, or the newest one (None when none exists)."""
    snapshots = RankingSnapshot.objects.order_by("-computed_at", "-id")
    if snapshot_id is not None:
        return snapshots.filter(pk=snapshot_id).first()
    return snapshots.first()


def snapshot_previous(snapshot: RankingSnapshot) -> RankingSnapshot | None:
    return (
        RankingSnapshot.objects.filter(computed_at__lte=snapshot.computed_at)
        .exclude(pk=snapshot.pk)
        .filter(Q(computed_at__lt=snapshot.computed_at) | Q(pk__lt=snapshot.pk))
        .order_by("-computed_at", "-id")
        .first()
    )


def _movement(themes: list[dict], previous: RankingSnapshot | None) -> list[dict]:
    before = {t["theme_id"]: t["rank"] for t in (previous.themes if previous else [])}
    out = []
    for theme in themes:
        row = dict(theme)
        old = before.get(theme["theme_id"])
        # Positive movement = climbed; None = new since the previous snapshot.
        row["movement"] = None if old is None else old - theme["rank"]
        row["previous_rank"] = old
        out.append(row)
    return out


def ranking_view(*, snapshot_id: int | None = None) -> RankingView:
    """The snapshot with movement, and whether a recompute is pending or running."""
    snapshot = snapshot_get(snapshot_id=snapshot_id)
    previous = snapshot_previous(snapshot) if snapshot else None
    themes = _movement(snapshot.themes, previous) if snapshot else []
    state = ranking_state_get()
    return RankingView(
        snapshot=snapshot,
        previous=previous,
        themes=themes,
        recomputing=ranking_running(state),
        dirty=state.dirty,
    )


def public_theme(theme: dict, *, hidden: frozenset[str]) -> dict:
    """One ranked theme in the API shape, its `hidden` fields null."""
    row = {key: theme.get(key) for key in API_FIELDS}
    row["quotes"] = [
        {key: quote.get(key) for key in QUOTE_FIELDS}
        for quote in theme.get("quotes", [])
    ]
    return withhold(row, hidden)


def ranking_payload(
    *, view: RankingView, hidden: frozenset[str], top: int | None = None
) -> dict:
    """The API / `ranking --json` shape of DESIGN.md; the `hidden` fields
    (cxplan.core.visibility.hidden_for) are null."""
    snapshot = view.snapshot
    themes = view.themes[:top] if top else view.themes
    return {
        "id": snapshot.pk if snapshot else None,
        "computed_at": snapshot.computed_at.isoformat() if snapshot else None,
        "inputs_version": snapshot.inputs_version if snapshot else None,
        "window": {
            "start": snapshot.window_start.date().isoformat()
            if snapshot and snapshot.window_start
            else None,
            "end": view.last_day.isoformat() if view.last_day else None,
            "days": snapshot.window_days if snapshot else None,
            "items": snapshot.items_in_window if snapshot else 0,
        },
        "weights": snapshot.weights if snapshot else {},
        "recomputing": view.recomputing,
        "stale": view.dirty,
        "coverage": (snapshot.coverage or None) if snapshot else None,
        "top_three": [t.get("theme_id") for t in view.themes[:3]],
        "themes": [public_theme(t, hidden=hidden) for t in themes],
    }
