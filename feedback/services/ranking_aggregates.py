"""The ranking's aggregates: one GROUP BY of a window's theme assignments.

A window (`feedback.ranking.formula.Window`) and, for a slice, an item filter
(`feedback.ranking.slices.ItemFilter`: segment, channel) go in; the groups
`rank_themes` scores and the weekly mentions come out. The filter reaches the
SQL as constant fragments with placeholders, its values as parameters.
"""

import io
from datetime import UTC, datetime
from datetime import time as dtime

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncDate

from feedback.models import ThemeAssignment
from feedback.ranking.formula import Window
from feedback.ranking.groups import GROUP_COLUMNS
from feedback.ranking.slices import ItemFilter

NO_FILTER = ItemFilter()

# One row per (theme, customer, negative, recent) with the item count and the
# customer's revenue; params: recent_start, start, end, then the filter's.
GROUPS_SQL_FILTERED = """
SELECT a.theme_id, i.customer_id,
       CASE WHEN i.polarity = 'negative' THEN 1 ELSE 0 END AS negative,
       CASE WHEN i.created >= %s THEN 1 ELSE 0 END AS recent,
       COUNT(*) AS n,
       MAX(c.annual_revenue) AS revenue
FROM feedback_themeassignment a
JOIN feedback_feedbackitem i ON i.id = a.item_id
JOIN feedback_theme t ON t.id = a.theme_id AND t.is_active
LEFT JOIN feedback_customer c ON c.id = i.customer_id
WHERE i.created >= %s AND i.created < %s{items}
GROUP BY a.theme_id, i.customer_id, negative, recent
"""
GROUPS_SQL = GROUPS_SQL_FILTERED.replace("{items}", "")  # the whole window

# PostgreSQL: the same GROUP BY split by 7-day bucket as well, so the sparklines
# cost no second pass over a million rows. The rows that differ only by week
# add up to the groups above (rank_themes sums repeated groups). It stays one
# plain GROUP BY, which PostgreSQL aggregates partially in parallel workers
# (GROUPING SETS of the groups and the weeks cannot: 0.1-0.2 s slower at 1M).
# params: recent_start, start (bucket origin), start, end, then the filter's.
GROUPS_AND_WEEKS_SQL_FILTERED = """
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
WHERE i.created >= %s AND i.created < %s{items}
GROUP BY a.theme_id, i.customer_id, negative, recent, week
"""
GROUPS_AND_WEEKS_SQL = GROUPS_AND_WEEKS_SQL_FILTERED.replace("{items}", "")

# A slice on demand: one row per assignment of the window's items (a slice's
# ~170,000 at 1M items, about as many as its groups, since most customers
# speak once), so the same join gives the groups (rank_themes adds up repeated
# groups), the weekly counts and each item's strongest method for the
# coverage: one join of the assignments instead of two. params: recent_start,
# start (bucket origin), start, end, then the filter's.
SLICE_ROWS_SQL = """
SELECT a.item_id, a.theme_id, i.customer_id,
       CASE WHEN i.polarity = 'negative' THEN 1 ELSE 0 END AS negative,
       CASE WHEN i.created >= %s THEN 1 ELSE 0 END AS recent,
       FLOOR(EXTRACT(EPOCH FROM (i.created - %s)) / 604800)::int AS week,
       CASE a.method WHEN 'manual' THEN 1 WHEN 'rule' THEN 2 ELSE 3 END AS strength,
       c.annual_revenue::float8 AS revenue
FROM feedback_themeassignment a
JOIN feedback_feedbackitem i ON i.id = a.item_id
JOIN feedback_theme t ON t.id = a.theme_id AND t.is_active
LEFT JOIN feedback_customer c ON c.id = i.customer_id
WHERE i.created >= %s AND i.created < %s{items}
"""
STRENGTHS = {1: "label", 2: "rule", 3: "model"}


def _aware(day) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=UTC)


def _filtered(sql: str, items: ItemFilter) -> tuple[str, list[str]]:
    fragment, params = items.sql("i")
    return sql.replace("{items}", fragment), params


def _groups_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
    frame["revenue"] = pd.to_numeric(frame["revenue"], errors="coerce").astype(float)
    frame["customer_id"] = frame["customer_id"].astype("Int64")
    for column in ("negative", "recent"):
        frame[column] = frame[column].astype(bool)
    return frame


def ranking_groups(*, window: Window, items: ItemFilter = NO_FILTER) -> pd.DataFrame:
    """One row per (theme, customer, negative, recent) with counts: one GROUP BY."""
    # As the ORM sends them: SQLite compares the stored naive UTC text, which
    # an aware value's "+00:00" would put after every item of its first second.
    start, end, recent = (
        connection.ops.adapt_datetimefield_value(_aware(d)) for d in window
    )
    sql, params = _filtered(GROUPS_SQL_FILTERED, items)
    with connection.cursor() as cursor:
        cursor.execute(sql, [recent, start, end, *params])
        return _groups_frame(cursor.fetchall())


def _buckets(window: Window) -> int:
    return max(1, -(-(window.end - window.start).days // 7))


def ranking_aggregates(
    *, window: Window, theme_ids: list[int], items: ItemFilter = NO_FILTER
) -> tuple[pd.DataFrame, dict[int, list]]:
    """The groups and the weekly mentions: one scan on PostgreSQL, two elsewhere.

    On PostgreSQL the ~500,000 rows of a million items come back through
    `COPY (query) TO STDOUT` as CSV parsed by pandas' C reader: building Python
    tuples and Decimals for them cost more than the aggregate itself.
    """
    if connection.vendor != "postgresql":
        groups = ranking_groups(window=window, items=items)
        return groups, ranking_weekly(window=window, theme_ids=theme_ids, items=items)
    import psycopg

    start, end, recent = (_aware(d) for d in window)
    sql, params = _filtered(GROUPS_AND_WEEKS_SQL_FILTERED, items)
    # COPY takes no parameters: psycopg quotes them into the statement.
    query = psycopg.ClientCursor(connection.connection).mogrify(
        sql, [recent, start, start, end, *params]
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


def _copy_csv(sql: str, params: list) -> io.BytesIO:
    """The rows of `sql` through COPY ... TO STDOUT as CSV (PostgreSQL)."""
    import psycopg

    # COPY takes no parameters: psycopg quotes them into the statement.
    query = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for block in copy:
            buffer.write(block)
    return buffer


def slice_aggregates(
    *, window: Window, theme_ids: list[int], items: ItemFilter
) -> tuple[pd.DataFrame, dict[int, list], dict[str, int]]:
    """A slice's groups, weekly mentions and items by strongest method
    ({"label", "rule", "model"}, as `coverage_count` counts them), from one
    join (PostgreSQL; `SLICE_ROWS_SQL`)."""
    start, end, recent = (_aware(d) for d in window)
    sql, params = _filtered(SLICE_ROWS_SQL, items)
    buffer = _copy_csv(sql, [recent, start, start, end, *params])
    buckets = _buckets(window)
    if not buffer.tell():
        weekly = {theme_id: [0] * buckets for theme_id in theme_ids}
        return _groups_frame([]), weekly, dict.fromkeys(STRENGTHS.values(), 0)
    buffer.seek(0)
    frame = pd.read_csv(
        buffer,
        header=None,
        names=["item_id", *GROUP_COLUMNS[:4], "week", "strength", "revenue"],
        dtype={"customer_id": "Int64", "week": "int64", "revenue": float},
    )
    frame["n"] = 1
    for column in ("negative", "recent"):
        frame[column] = frame[column].astype(bool)
    strongest = frame.groupby("item_id")["strength"].min().value_counts()
    methods = {name: int(strongest.get(k, 0)) for k, name in STRENGTHS.items()}
    weekly = _weekly_counts(frame, theme_ids, buckets)
    return frame[list(GROUP_COLUMNS)], weekly, methods


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


def ranking_weekly(
    *, window: Window, theme_ids: list[int], items: ItemFilter = NO_FILTER
) -> dict[int, list]:
    """Weekly counts grouped in SQL (one row per theme and day)."""
    start, end = _aware(window.start), _aware(window.end)
    buckets = _buckets(window)
    out = {theme_id: [0] * buckets for theme_id in theme_ids}
    if not theme_ids:
        return out
    rows = (
        ThemeAssignment.objects.filter(
            theme_id__in=theme_ids,
            item__created__gte=start,
            item__created__lt=end,
            **items.lookups("item__"),
        )
        .annotate(day=TruncDate("item__created"))
        .values_list("theme_id", "day")
        .annotate(n=Count("id"))
    )
    for theme_id, day, n in rows:
        index = min(buckets - 1, max(0, (day - window.start).days // 7))
        out[theme_id][index] += n
    return out
