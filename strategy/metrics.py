"""NPS and CSAT computed from the scores on feedback items, one value per month.

Both are aggregated in SQL (one query each), grouped by the calendar month (UTC)
of the item's `created` date:

- NPS: over items with `score_type = "nps"` (0..10): the percentage of promoters
  (9 or 10) minus the percentage of detractors (0 to 6). Passives (7, 8) count in
  the total only. Range -100..100.
- CSAT: over items with `score_type` "csat" or "stars" (both 1..5): the percentage
  of items scoring 4 or 5 ("satisfied"). Range 0..100. Stars reviews count because
  they are the same 1-5 satisfaction question asked on a public site.

Items without a score are ignored. Each point is `{"period": date (first of the
month), "value": float (rounded to 0.1), "n": items, "ci": [low, high]}`, the
95% interval: for NPS the normal approximation of the difference of two shares
of one multinomial sample (variance (p+ + p- - (p+ - p-)^2) / n); for CSAT the
Wilson interval of a proportion (scipy).
"""

import math
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from feedback.models import FeedbackItem

Z95 = 1.959964


def nps_interval(promoters: int, detractors: int, n: int) -> list[float]:
    """95% interval of an NPS in points, clipped to -100..100."""
    good, bad = promoters / n, detractors / n
    half = Z95 * math.sqrt(max(good + bad - (good - bad) ** 2, 0.0) / n)
    score = good - bad
    return [
        round(max(-100.0, 100 * (score - half)), 1),
        round(min(100.0, 100 * (score + half)), 1),
    ]


def share_interval(hits: int, n: int) -> list[float]:
    """95% Wilson interval of a share, in percent."""
    from scipy.stats import binomtest

    low, high = binomtest(hits, n).proportion_ci(0.95, method="wilson")
    return [round(float(100 * low), 1), round(float(100 * high), 1)]


def _as_date(value) -> date:
    # TruncMonth answers a datetime on PostgreSQL and SQLite alike (USE_TZ).
    return value.date() if isinstance(value, datetime) else value


def nps_by_month(*, since: date | None = None) -> list[dict]:
    """Monthly NPS from items scored 0..10 (promoters 9-10, detractors 0-6)."""
    rows = _scored(score_types=("nps",), since=since).annotate(
        good=Count("id", filter=Q(score__gte=9)),
        bad=Count("id", filter=Q(score__lte=6)),
    )
    return [
        {
            "period": _as_date(r["month"]),
            "value": round(100.0 * (r["good"] - r["bad"]) / r["n"], 1),
            "n": r["n"],
            "ci": nps_interval(r["good"], r["bad"], r["n"]),
        }
        for r in rows
    ]


def csat_by_month(*, since: date | None = None) -> list[dict]:
    """Monthly CSAT: the share (in %) of csat/stars items scoring 4 or 5."""
    rows = _scored(score_types=("csat", "stars"), since=since).annotate(
        good=Count("id", filter=Q(score__gte=4)),
    )
    return [
        {
            "period": _as_date(r["month"]),
            "value": round(100.0 * r["good"] / r["n"], 1),
            "n": r["n"],
            "ci": share_interval(r["good"], r["n"]),
        }
        for r in rows
    ]


def _scored(*, score_types: tuple[str, ...], since: date | None):
    qs = FeedbackItem.objects.filter(
        score_type__in=score_types, score__isnull=False
    ).order_by()
    if since is not None:
        qs = qs.filter(created__date__gte=since)
    return (
        qs.annotate(month=TruncMonth("created"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )


COMPUTED = {"nps": nps_by_month, "csat": csat_by_month}
