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

SAMPLE = 200
QUOTES = 3
MIN_CHARS = 25
MAX_CHARS = 400
FIRST_DAYS = 7


def _aware(day) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=UTC)


def _candidates(*, window, theme_ids, start=None) -> dict[int, list[dict]]:
    """Up to SAMPLE newest negative items per theme since `start`, one query."""
    if not theme_ids:
        return {}
    marks = ", ".join(["%s"] * len(theme_ids))
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
              AND i.created >= %s AND i.created < %s
        ) ranked
        WHERE position <= %s
    """  # noqa: S608 - only placeholders are interpolated
    since = _aware(start or window.start)
    params = [*theme_ids, since, _aware(window.end), SAMPLE]
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
) -> tuple[int, list[int], list[int]]:
    """How to look for each theme's candidates, from its negative mention counts.

    `negatives` maps a theme id to (in the window's newest third, in the whole
    window). Returns (days, first, third): `first` are the themes expected, at
    their rate in the newest third, to have 2 x SAMPLE negative mentions within
    FIRST_DAYS days, and `days` is how many of the newest days that takes for
    all of them; `third` are the quieter themes, looked for in the whole third
    straight away. Themes with no negative mention in the third are in neither
    (their quotes, if any, come from the whole window).
    """
    days, first, third = 1, [], []
    for theme_id in theme_ids:
        recent = negatives.get(theme_id, (0, 0))[0]
        if recent <= 0:
            continue
        need = math.ceil(2 * SAMPLE * recent_days / recent)
        if need <= FIRST_DAYS:
            first.append(theme_id)
            days = max(days, need)
        else:
            third.append(theme_id)
    return days, first, third


def representative_quotes(
    *, window, theme_ids, negatives: Mapping[int, tuple[int, int]] | None = None
) -> dict[int, list[dict]]:
    """Three typical negative quotes per theme (fewer when it has fewer).

    Candidates are each theme's SAMPLE newest negative items in the window's
    newest third. They are first looked for in the newest few days, which at a
    million items is a few percent of the rows to sort; a theme that finds
    fewer than SAMPLE there is asked again over the whole third, so the
    candidates are exactly the same as with one query over the third.

    `negatives` (theme id -> negative mentions in the newest third and in the
    window, as the ranking's aggregate counted them) sizes those few days to
    the busiest themes and spares the queries that could find nothing; without
    it every theme is first looked for in the last FIRST_DAYS days.
    """
    theme_ids = list(theme_ids)
    if negatives is None:
        days, first, third = FIRST_DAYS, theme_ids, []
    else:
        recent_days = max(1, (window.end - window.recent_start).days)
        days, first, third = lookup_plan(theme_ids, negatives, recent_days)
    first_start = max(window.recent_start, window.end - timedelta(days=days))
    candidates = {}
    if first:
        candidates = _candidates(window=window, theme_ids=first, start=first_start)
        if first_start > window.recent_start:
            third += [t for t in first if len(candidates.get(t, [])) < SAMPLE]
    if third:
        candidates.update(
            _candidates(window=window, theme_ids=third, start=window.recent_start)
        )
    # Themes quiet lately still get quotes, from the whole window.
    found = {t: len(candidates.get(t, ())) for t in theme_ids}
    short = [
        t
        for t in theme_ids
        if found[t] < QUOTES
        and (negatives is None or negatives.get(t, (0, 0))[1] > found[t])
    ]
    if short:
        candidates.update(_candidates(window=window, theme_ids=short))
    return {
        theme_id: [rows[i] for i in most_typical([r["text"] for r in rows])]
        for theme_id, rows in candidates.items()
    }
