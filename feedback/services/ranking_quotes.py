"""Representative quotes for each ranked theme: the most typical negative items.

"Typical" is measured, not guessed: within a theme's newest negative items (the
window's newest third, so the sort stays small at a million items), the items
whose TF-IDF vector is closest to the theme's centroid. Quotes carry the
text, channel, date and score only, never who said it.
"""

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

import numpy as np
from django.db import connection
from sklearn.feature_extraction.text import TfidfVectorizer

from feedback.ranking.slices import ItemFilter

SAMPLE = 200
QUOTES = 3
MIN_CHARS = 25
MAX_CHARS = 400
MARGIN = 1.5  # expected candidates over SAMPLE when sizing the first look


def _aware(day) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=UTC)


def _candidates(
    *, window, theme_ids, start=None, items: ItemFilter | None = None
) -> dict[int, list[dict]]:
    """Up to SAMPLE newest negative items per theme since `start` (of the
    items `items` lets through), one query."""
    if not theme_ids:
        return {}
    marks = ", ".join(["%s"] * len(theme_ids))
    narrow, narrow_params = (items or ItemFilter()).sql("i")
    sql = f"""
        SELECT theme_id, id, text, channel, created, score, score_type FROM (
            SELECT a.theme_id, i.id, i.text, i.channel, i.created, i.score,
                   i.score_type,
                   ROW_NUMBER() OVER (
                       PARTITION BY a.theme_id ORDER BY i.created DESC, i.id DESC
                   ) AS position
            FROM feedback_themeassignment a
            JOIN feedback_feedbackitem i ON i.id = a.item_id
            WHERE a.theme_id IN ({marks}) AND i.polarity = 'negative'
              AND i.created >= %s AND i.created < %s{narrow}
        ) ranked
        WHERE position <= %s
    """  # noqa: S608 - only placeholders are interpolated
    since = _aware(start or window.start)
    adapt = connection.ops.adapt_datetimefield_value  # naive UTC text on SQLite
    params = [*theme_ids, adapt(since), adapt(_aware(window.end)), *narrow_params]
    params.append(SAMPLE)
    out: dict[int, list[dict]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for theme_id, pk, text, channel, created, score, score_type in cursor:
            if isinstance(created, str):
                created = datetime.fromisoformat(created)
            out.setdefault(theme_id, []).append(
                {
                    "item_id": pk,
                    "text": text,
                    "channel": channel,
                    "date": created.date().isoformat(),
                    "score": score,
                    "score_type": score_type,
                }
            )
    return out


def most_typical(texts: list[str], k: int = QUOTES) -> list[int]:
    """Indexes of the k texts nearest the centroid (distinct texts, best first)."""
    if not texts:
        return []
    usable = [i for i, t in enumerate(texts) if MIN_CHARS <= len(t) <= MAX_CHARS]
    pool = usable if len(usable) >= k else list(range(len(texts)))
    if len(pool) <= 1:
        return pool[:k]
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [texts[i] for i in pool]
        )
    except ValueError:  # only stop words
        return pool[:k]
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    similarity = matrix @ centroid
    order = np.argsort(-similarity, kind="stable")
    chosen, seen = [], set()
    for j in order:
        key = texts[pool[j]].strip().casefold()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(pool[j])
        if len(chosen) == k:
            break
    return chosen


def lookup_plan(
    theme_ids, negatives: Mapping[int, tuple[int, int]], recent_days: int
) -> tuple[int, list[int]]:
    """How many of the newest days to look in first, and for which themes.

    `negatives` maps a theme id to its negative mentions (in the window's newest
    third of `recent_days` days, in the whole window). The themes are those with
    negative mentions in the third; the days are the fewest in which each of
    them is expected, at its rate over the third, to have MARGIN x SAMPLE. A
    query's cost follows the days it spans, not the themes it asks for, so one
    look serves every theme, and when it would span over half the third it
    spans all of it.
    """
    themes, days = [], 1
    for theme_id in theme_ids:
        recent = negatives.get(theme_id, (0, 0))[0]
        if recent > 0:
            themes.append(theme_id)
            days = max(days, math.ceil(MARGIN * SAMPLE * recent_days / recent))
    return (recent_days if 2 * days > recent_days else days), themes


def representative_quotes(
    *,
    window,
    theme_ids,
    negatives: Mapping[int, tuple[int, int]],
    items: ItemFilter | None = None,
) -> dict[int, list[dict]]:
    """Three typical negative quotes per theme (fewer when it has fewer).

    Candidates are each theme's SAMPLE newest negative items in the window's
    newest third. They are first looked for in the newest few days, which at a
    million items is a few percent of the rows to sort; a theme that finds
    fewer than SAMPLE there is asked again over the whole third, so the
    candidates are exactly the same as with one query over the third.

    `negatives` (theme id -> negative mentions in the newest third and in the
    window, as the ranking's aggregate counted them) sizes those few days (see
    `lookup_plan`) and spares the queries that could find nothing. `items` (a
    slice's segment and channel) narrows the candidates as it narrowed them.
    """
    theme_ids = list(theme_ids)
    recent_days = max(1, (window.end - window.recent_start).days)
    days, first = lookup_plan(theme_ids, negatives, recent_days)
    first_start = max(window.recent_start, window.end - timedelta(days=days))
    candidates, third = {}, []
    if first:
        candidates = _candidates(
            window=window, theme_ids=first, start=first_start, items=items
        )
        if first_start > window.recent_start:
            third = [t for t in first if len(candidates.get(t, [])) < SAMPLE]
    if third:
        candidates.update(
            _candidates(
                window=window, theme_ids=third, start=window.recent_start, items=items
            )
        )
    # Themes quiet lately still get quotes, from the whole window.
    found = {t: len(candidates.get(t, ())) for t in theme_ids}
    short = [
        t
        for t in theme_ids
        if found[t] < QUOTES and negatives.get(t, (0, 0))[1] > found[t]
    ]
    if short:
        candidates.update(_candidates(window=window, theme_ids=short, items=items))
    return {
        theme_id: [rows[i] for i in most_typical([r["text"] for r in rows])]
        for theme_id, rows in candidates.items()
    }
