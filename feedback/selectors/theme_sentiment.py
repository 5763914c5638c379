"""Net sentiment per theme in a window: is a theme a complaint or praise?

A theme is *praise* when more of its items in the window are positive than
negative; a deck shows those as strengths, not as improvements to make.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from feedback.models import ThemeAssignment


def theme_net_sentiment(
    *, theme_ids: list[int], start: datetime | None, end: datetime | None
) -> dict[int, dict]:
    """Theme id -> {"items", "positive", "negative", "net" (share positive minus
    share negative, -1..1), "praise" (bool)} for the items created in [start,
    end); one aggregate query."""
    if not theme_ids:
        return {}
    rows = ThemeAssignment.objects.filter(theme_id__in=theme_ids)
    if start is not None:
        rows = rows.filter(item__created__gte=start)
    if end is not None:
        rows = rows.filter(item__created__lt=end)
    counts = rows.values("theme_id").annotate(
        items=Count("item_id", distinct=True),
        positive=Count("item_id", filter=Q(item__polarity="positive"), distinct=True),
        negative=Count("item_id", filter=Q(item__polarity="negative"), distinct=True),
    )
    out = {}
    for row in counts:
        n = row["items"] or 0
        net = (row["positive"] - row["negative"]) / n if n else 0.0
        out[row["theme_id"]] = {
            "items": n,
            "positive": row["positive"],
            "negative": row["negative"],
            "net": round(net, 4),
            "praise": row["positive"] > row["negative"],
        }
    return out
