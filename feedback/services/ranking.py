"""Recompute the ranking snapshot: aggregate in SQL, score in `feedback.ranking.rank`.

Serialised by a lock (a PostgreSQL session advisory lock, freed by the database if
the worker dies; a cache lock with a timeout elsewhere). A run records the inputs
version it read and only moves `computed_version` forward, so an older run never
replaces a newer result; when inputs changed while it ran, it runs again.
"""

import io
import logging
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from datetime import time as dtime

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from cxplan.core.locks import advisory_lock
from cxplan.core.roles import ADVISOR
from feedback.models import (
    FeedbackItem,
    RankingSnapshot,
    RankingState,
    Theme,
    ThemeAssignment,
    Vote,
)
from feedback.ranking.formula import Weights, Window, window_bounds
from feedback.ranking.groups import GROUP_COLUMNS
from feedback.ranking.rank import rank_themes
from feedback.selectors.coverage import coverage_count
from feedback.services.ranking_quotes import representative_quotes
from feedback.services.ranking_state import QUEUED_KEY, ranking_state_get

logger = logging.getLogger(__name__)

LOCK_KEY = zlib.crc32(b"cxplan.ranking") & 0x7FFFFFFF
LOCK_TIMEOUT = 30 * 60
BOOTSTRAP = 200
MAX_ROUNDS = 3


# One row per (theme, customer, negative, recent) with the item count and the
# customer's revenue; params: recent_start, start, end.
GROUPS_SQL = """
SELECT a.theme_id, i.customer_id,
       CASE WHEN i.polarity = 'negative' THEN 1 ELSE 0 END AS negative,
       CASE WHEN i.created >= %s THEN 1 ELSE 0 END AS recent,
       COUNT(*) AS n,
       MAX(c.annual_revenue) AS revenue
FROM feedback_themeassignment a
JOIN feedback_feedbackitem i ON i.id = a.item_id
JOIN feedback_theme t ON t.id = a.theme_id AND t.is_active
LEFT JOIN feedback_customer c ON c.id = i.customer_id
WHERE i.created >= %s AND i.created < %s
GROUP BY a.theme_id, i.customer_id, negative, recent
"""

# PostgreSQL: the same GROUP BY split by 7-day bucket as well, so the sparklines
# cost no second pass over a million rows. The rows that differ only by week
# add up to the groups above (rank_themes sums repeated groups). It stays one
# plain GROUP BY, which PostgreSQL aggregates partially in parallel workers
# (GROUPING SETS of the groups and the weeks cannot: 0.1-0.2 s slower at 1M).
# params: recent_start, start (bucket origin), start, end.
GROUPS_AND_WEEKS_SQL = """
SELECT a.theme_id, i.customer_id,
       CASE WHEN i.polarity = 'negative' THEN 1 ELSE 0 END AS negative,
       CASE WHEN i.created >= %s THEN 1 ELSE 0 END AS recent,
       FLOOR(EXTRACT(EPOCH FROM (i.created - %s)) / 604800)::int AS week,
       COUNT(*) AS n,
       MAX(c.annual_revenue)::float8 AS revenue
FROM feedback_themeassignment a
JOIN feedback_feedbackitem i ON i.id = a.item_id
JOIN feedback_theme t ON t.id = a.theme_id AND t.is_active
LEFT JOIN feedback_customer c ON c.id = i.customer_id
WHERE i.created >= %s AND i.created < %s
GROUP BY a.theme_id, i.customer_id, negative, recent, week
"""


def ranking_lock():
    """A context manager yielding True when this process holds the ranking lock,
    False when busy (a cache lock off PostgreSQL)."""
    return advisory_lock(
        LOCK_KEY, fallback_key="cxplan:ranking:lock", fallback_timeout=LOCK_TIMEOUT
    )


def _aware(day) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=UTC)


def ranking_window(*, days: int) -> Window | None:
    """The window ending at the newest feedback date (None without feedback)."""
    newest = FeedbackItem.objects.aggregate(newest=Max("created"))["newest"]
    if newest is None:
        return None
    return window_bounds(timezone.localtime(newest).date(), days)


def _groups_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
    frame["revenue"] = pd.to_numeric(frame["revenue"], errors="coerce").astype(float)
    frame["customer_id"] = frame["customer_id"].astype("Int64")
    for column in ("negative", "recent"):
        frame[column] = frame[column].astype(bool)
    return frame


def ranking_groups(*, window: Window) -> pd.DataFrame:
    """One row per (theme, customer, negative, recent) with counts: one GROUP BY."""
    start, end, recent = (_aware(d) for d in window)
    with connection.cursor() as cursor:
        cursor.execute(GROUPS_SQL, [recent, start, end])
        return _groups_frame(cursor.fetchall())


def _buckets(window: Window) -> int:
    return max(1, -(-(window.end - window.start).days // 7))


def ranking_aggregates(
    *, window: Window, theme_ids: list[int]
) -> tuple[pd.DataFrame, dict[int, list]]:
    """The groups and the weekly mentions: one scan on PostgreSQL, two elsewhere.

    On PostgreSQL the ~500,000 rows of a million items come back through
    `COPY (query) TO STDOUT` as CSV parsed by pandas' C reader: building Python
    tuples and Decimals for them cost more than the aggregate itself.
    """
    if connection.vendor != "postgresql":
        groups = ranking_groups(window=window)
        return groups, ranking_weekly(window=window, theme_ids=theme_ids)
    import psycopg

    start, end, recent = (_aware(d) for d in window)
    query = psycopg.ClientCursor(connection.connection).mogrify(
        GROUPS_AND_WEEKS_SQL, [recent, start, start, end]
    )
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for block in copy:
            buffer.write(block)
    buckets = _buckets(window)
    if not buffer.tell():  # no assignment in the window
        return _groups_frame([]), {theme_id: [0] * buckets for theme_id in theme_ids}
    buffer.seek(0)
    frame = pd.read_csv(
        buffer,
        header=None,
        names=[*GROUP_COLUMNS[:4], "week", "n", "revenue"],
        dtype={"customer_id": "Int64", "week": "int64", "revenue": float},
    )
    for column in ("negative", "recent"):
        frame[column] = frame[column].astype(bool)
    return frame[list(GROUP_COLUMNS)], _weekly_counts(frame, theme_ids, buckets)


def _weekly_counts(frame: pd.DataFrame, theme_ids: list[int], buckets: int):
    """Theme id -> mentions per 7-day bucket, from rows with `week` and `n`."""
    theme = pd.Index(theme_ids).get_indexer(frame["theme_id"])
    keep = theme >= 0
    week = frame["week"].to_numpy().clip(0, buckets - 1)
    counts = np.bincount(
        theme[keep] * buckets + week[keep],
        weights=frame["n"].to_numpy()[keep],
        minlength=len(theme_ids) * buckets,
    ).reshape(len(theme_ids), buckets)
    return {
        theme_id: [int(n) for n in counts[i]] for i, theme_id in enumerate(theme_ids)
    }


def negative_mentions(groups: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """Theme id -> negative mentions (in the window's newest third, in all of it)."""
    negative = groups.loc[
        groups["negative"].to_numpy(dtype=bool), ["theme_id", "recent", "n"]
    ]
    total = negative.groupby("theme_id")["n"].sum()
    recent = (
        negative[negative["recent"].to_numpy(dtype=bool)].groupby("theme_id")["n"].sum()
    )
    return {int(t): (int(recent.get(t, 0)), int(n)) for t, n in total.items()}


def ranking_votes() -> dict[int, int]:
    """Advisor votes on (unmerged) ideas linked to each theme."""
    rows = (
        Vote.objects.filter(
            user__groups__name=ADVISOR,
            idea__merged_into__isnull=True,
            idea__themes__isnull=False,
        )
        .values("idea__themes")
        .annotate(n=Count("id", distinct=True))
    )
    return {r["idea__themes"]: r["n"] for r in rows}


def ranking_weekly(*, window: Window, theme_ids: list[int]) -> dict[int, list]:
    """Weekly counts grouped in SQL (one row per theme and day)."""
    start, end = _aware(window.start), _aware(window.end)
    buckets = _buckets(window)
    out = {theme_id: [0] * buckets for theme_id in theme_ids}
    if not theme_ids:
        return out
    rows = (
        ThemeAssignment.objects.filter(
            theme_id__in=theme_ids, item__created__gte=start, item__created__lt=end
        )
        .annotate(day=TruncDate("item__created"))
        .values_list("theme_id", "day")
        .annotate(n=Count("id"))
    )
    for theme_id, day, n in rows:
        index = min(buckets - 1, max(0, (day - window.start).days // 7))
        out[theme_id][index] += n
    return out


def ranking_compute(*, state: RankingState) -> dict:
    """Everything a snapshot stores, computed from the current data."""
    weights = Weights.from_dict(state.weights or {})
    themes = dict(
        Theme.objects.filter(is_active=True).order_by("pk").values_list("pk", "name")
    )
    window = ranking_window(days=state.window_days)
    if window is None or not themes:
        return {
            "window": window,
            "weights": weights,
            "themes": [],
            "items": 0,
            "coverage": coverage_count(
                start=_aware(window.start), end=_aware(window.end)
            )
            if window
            else {},
        }
    groups, weekly = ranking_aggregates(window=window, theme_ids=list(themes))
    votes = ranking_votes()
    # The scoring and its bootstrap are pure NumPy: they run in a thread while
    # this one waits on PostgreSQL for the quotes and the item count (same
    # connection, no second transaction); measured 0.3-0.4 s off at 1M items.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scoring = pool.submit(
            rank_themes,
            groups,
            themes=themes,
            votes=votes,
            weights=weights,
            bootstrap=BOOTSTRAP,
            seed=state.inputs_version,
        )
        quotes = representative_quotes(
            window=window, theme_ids=list(themes), negatives=negative_mentions(groups)
        )
        start, end = _aware(window.start), _aware(window.end)
        coverage = coverage_count(start=start, end=end)
        ranked = scoring.result()
    rows = []
    for score in ranked:
        row = score.as_dict()
        row["quotes"] = quotes.get(score.theme_id, [])
        row["weekly"] = weekly.get(score.theme_id, [])
        rows.append(row)
    return {
        "window": window,
        "weights": weights,
        "themes": rows,
        "items": coverage["in_window"],
        "coverage": coverage,
    }


def _save(*, version: int, result: dict, days: int, started: float):
    window = result["window"]
    snapshot = RankingSnapshot.objects.create(
        inputs_version=version,
        window_start=_aware(window.start) if window else None,
        window_end=_aware(window.end) if window else None,
        window_days=days,
        weights=result["weights"].as_dict(),
        themes=result["themes"],
        items_in_window=result["items"],
        coverage=result.get("coverage") or {},
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    return snapshot


def ranking_recompute(*, force: bool = False) -> dict:
    """Recompute when the inputs are newer than the last snapshot (or when forced).

    Returns {"status": "computed" | "fresh" | "busy", "snapshot_id"?, "version"?}.
    """
    cache.delete(QUEUED_KEY)
    with ranking_lock() as got:
        if not got:
            return {"status": "busy"}
        outcome = {"status": "fresh"}
        for _round in range(MAX_ROUNDS):
            state = ranking_state_get()
            version = state.inputs_version
            if state.computed_version >= version and not force:
                break
            force = False
            started = time.monotonic()
            RankingState.objects.filter(pk=state.pk).update(
                running_since=timezone.now()
            )
            try:
                result = ranking_compute(state=state)
                with transaction.atomic():
                    moved = RankingState.objects.filter(
                        pk=state.pk, computed_version__lte=version
                    ).update(computed_version=version)
                    snapshot = None
                    if moved:
                        snapshot = _save(
                            version=version,
                            result=result,
                            days=state.window_days,
                            started=started,
                        )
            finally:
                RankingState.objects.filter(pk=state.pk).update(running_since=None)
            outcome = {
                "status": "computed",
                "version": version,
                "snapshot_id": snapshot.pk if snapshot else None,
                "themes": len(result["themes"]),
                "duration_ms": int((time.monotonic() - started) * 1000),
            }
            logger.info("ranking v%s took %s ms", version, outcome["duration_ms"])
        return outcome


def ranking_request() -> None:
    """Ask for a recompute now (the button, the API): marks the inputs dirty."""
    from feedback.services.ranking_state import ranking_mark_dirty

    ranking_mark_dirty()


def ranking_weights_set(*, weights: dict, window_days: int | None = None) -> None:
    """Store new weights (validated) and mark the ranking dirty."""
    from feedback.services.ranking_state import ranking_mark_dirty

    checked = Weights.from_dict(weights)
    state = ranking_state_get()
    fields = {"weights": checked.as_dict()}
    if window_days is not None:
        if not 7 <= int(window_days) <= 730:
            raise ValueError("window_days must be between 7 and 730")
        fields["window_days"] = int(window_days)
    RankingState.objects.filter(pk=state.pk).update(**fields)
    ranking_mark_dirty()
